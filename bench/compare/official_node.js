// The same workloads as kmeet-bench / kmeet import, done with Kaltura's official Node client
// (npm kaltura-client, installed by bench/compare.sh). Usage:
//   node official_node.js SERVICE_URL PARTNER_ID ADMIN_SECRET WORKLOAD N
// WORKLOAD: meetings (N x scheduleResource.add, scheduleEvent.add, scheduleEventResource.add, the 3
// calls of each meeting one after another), time (N x system.getTime), get (N x scheduleResource.get).
// Prints one JSON line: {"workload":..,"ops":N,"calls":..,"seconds":..}.
'use strict';
const kaltura = require('kaltura-client');

async function main() {
  const [serviceUrl, partnerId, secret, workload, nText] = process.argv.slice(2);
  const n = parseInt(nText, 10);
  if (!serviceUrl || !secret || !workload || !(n > 0)) {
    console.error('usage: node official_node.js SERVICE_URL PARTNER_ID ADMIN_SECRET meetings|time|get N');
    process.exit(2);
  }
  const config = new kaltura.Configuration();
  config.serviceUrl = serviceUrl;
  // The client logs every request and response to stdout by default; that is switched off so the
  // comparison measures the client, not the terminal.
  config.setLogger(null);
  const client = new kaltura.Client(config);
  const ks = await kaltura.services.session
    .start(secret, 'kmeet-compare', kaltura.enums.SessionType.ADMIN, parseInt(partnerId, 10), 86400, 'disableentitlement')
    .execute(client);
  client.setKs(ks);

  let calls = 0;
  let roomId = 0;
  if (workload === 'get') {
    const room = await kaltura.services.scheduleResource
      .add(new kaltura.objects.LocationScheduleResource({ name: 'node get target', tags: 'vcprovider:newrow' }))
      .execute(client);
    roomId = room.id;
  }
  const base = Math.floor(Date.now() / 1000) + 86400;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; ++i) {
    if (workload === 'meetings') {
      const room = await kaltura.services.scheduleResource
        .add(new kaltura.objects.LocationScheduleResource({ name: 'node room ' + i, tags: 'vcprovider:newrow' }))
        .execute(client);
      const start = base + (i % 10000) * 60;
      const event = await kaltura.services.scheduleEvent
        .add(new kaltura.objects.RecordScheduleEvent({
          summary: 'node session ' + i,
          startDate: start,
          endDate: start + 3600,
          recurrenceType: kaltura.enums.ScheduleEventRecurrenceType.NONE,
        }))
        .execute(client);
      await kaltura.services.scheduleEventResource
        .add(new kaltura.objects.ScheduleEventResource({ eventId: event.id, resourceId: room.id }))
        .execute(client);
      calls += 3;
    } else if (workload === 'time') {
      await kaltura.services.system.getTime().execute(client);
      calls += 1;
    } else if (workload === 'get') {
      await kaltura.services.scheduleResource.get(roomId).execute(client);
      calls += 1;
    } else {
      throw new Error('unknown workload ' + workload);
    }
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(JSON.stringify({ client: 'node', workload, ops: n, calls, seconds }));
}

main().catch((e) => {
  console.error('official_node.js: ' + (e && e.message ? e.message : String(e)));
  process.exit(1);
});
