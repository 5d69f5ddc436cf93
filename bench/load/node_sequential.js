// The official Node client (npm kaltura-client) making meetings the way its documentation shows:
// one multirequest per meeting (room add, event add, link add with {N:result:id} references),
// awaited one after the other. Makes COUNT meetings and, for the comparison with `kmeet import`,
// states the time TOTAL would take at the same pace (a sequential loop's time grows linearly).
// usage: node node_sequential.js SERVICE_URL COUNT [TOTAL]
'use strict';
const kaltura = require('kaltura-client');

async function main() {
  const [url, countArg, totalArg] = process.argv.slice(2);
  const count = Number(countArg || 200);
  const total = Number(totalArg || count);
  const config = new kaltura.Configuration();
  config.serviceUrl = url;
  config.setLogger({ log() {}, error(msg) { console.error(msg); } });  // keep the KS out of the log
  const client = new kaltura.Client(config);
  client.setKs(await kaltura.services.session.start('emulator-admin-secret', 'vpaas@kaltura.com',
    kaltura.enums.SessionType.ADMIN, 1234567, 86400, null).execute(client));
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    const start = 1893456000 + i * 3600;
    const results = await kaltura.services.scheduleResource.add(new kaltura.objects.LocationScheduleResource({
      name: 'Node room ' + i, tags: 'vcprovider:newrow',
    })).add(kaltura.services.scheduleEvent.add(new kaltura.objects.RecordScheduleEvent({
      summary: 'Node lecture ' + i, startDate: start, endDate: start + 1800,
      recurrenceType: kaltura.enums.ScheduleEventRecurrenceType.NONE,
    }))).add(kaltura.services.scheduleEventResource.add(new kaltura.objects.ScheduleEventResource({
      eventId: '{2:result:id}', resourceId: '{1:result:id}',
    }))).execute(client);
    if (!Array.isArray(results) || results.length !== 3 || results.some((r) => r && r.code)) {
      throw new Error('meeting ' + i + ' failed: ' + JSON.stringify(results));
    }
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(`official Node client ${require('kaltura-client/package.json').version}, sequential: ` +
    `${count} meetings in ${seconds.toFixed(2)} s (${(seconds / count * 1000).toFixed(1)} ms each); ` +
    `${total} at that pace: ${(seconds / count * total).toFixed(0)} s`);
}

main().catch((e) => { console.error(e); process.exit(1); });
