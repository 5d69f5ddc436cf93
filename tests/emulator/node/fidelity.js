// Fidelity check: Kaltura's own Node client (kaltura-client 21.20.0) against kmeet-emulator.
// Usage: node fidelity.js /path/to/kmeet-emulator   (NODE_PATH must find kaltura-client)
'use strict';
const assert = require('assert');
const kaltura = require('kaltura-client');

const { PARTNER, ADMIN_SECRET, USER_SECRET, startEmulator, expectError } = require('./common');

async function main() {
  const emuPath = process.argv[2];
  const { child, port } = await startEmulator(emuPath);
  let ok = false;
  try {
    const config = new kaltura.Configuration();
    config.serviceUrl = 'http://127.0.0.1:' + port;
    config.setLogger({ log() {}, error(msg) { console.error(msg); } });  // keep the KS out of the log
    const client = new kaltura.Client(config);

    // session.start with the admin secret (ADMIN) and the user secret (USER)
    const adminKs = await kaltura.services.session.start(ADMIN_SECRET, 'vpaas@kaltura.com',
      kaltura.enums.SessionType.ADMIN, PARTNER, 86400, null).execute(client);
    assert.ok(typeof adminKs === 'string' && adminKs.startsWith('djJ8MTIzNDU2N3'), 'admin KS v2');
    await expectError(kaltura.services.session.start(USER_SECRET, 'x', kaltura.enums.SessionType.ADMIN,
      PARTNER, 86400, null).execute(client), 'START_SESSION_ERROR');
    client.setKs(adminKs);

    const info = await kaltura.services.session.get().execute(client);
    assert.strictEqual(info.userId, 'vpaas@kaltura.com');
    assert.strictEqual(info.sessionType, 2);
    assert.strictEqual(info.partnerId, PARTNER);

    // room add / get / list
    const room = await kaltura.services.scheduleResource.add(new kaltura.objects.LocationScheduleResource({
      name: 'Room-1', description: 'My first meeting room', tags: 'vcprovider:newrow,custom_rs_room_cap:10',
    })).execute(client);
    assert.ok(room.id > 0);
    assert.strictEqual(room.objectType, 'KalturaLocationScheduleResource');
    assert.strictEqual(room.partnerId, PARTNER);
    assert.strictEqual(room.status, 2);
    const got = await kaltura.services.scheduleResource.get(room.id).execute(client);
    assert.strictEqual(got.name, 'Room-1');
    const filter = new kaltura.objects.LocationScheduleResourceFilter({ tagsLike: 'vcprovider:newrow', orderBy: '-createdAt' });
    const pager = new kaltura.objects.FilterPager({ pageSize: 500, pageIndex: 1 });
    const list = await kaltura.services.scheduleResource.listAction(filter, pager).execute(client);
    assert.strictEqual(list.objectType, 'KalturaScheduleResourceListResponse');
    assert.strictEqual(list.totalCount, 1);
    assert.strictEqual(list.objects[0].id, room.id);

    // event add
    const start = Math.floor(Date.now() / 1000) + 86400;
    const ev = await kaltura.services.scheduleEvent.add(new kaltura.objects.RecordScheduleEvent({
      summary: "Tomorrow's Event", startDate: start, endDate: start + 3600,
      recurrenceType: kaltura.enums.ScheduleEventRecurrenceType.NONE, tags: 'custom_rec_auto_start:1',
      ownerId: 'not-me',
    })).execute(client);
    assert.strictEqual(ev.objectType, 'KalturaRecordScheduleEvent');
    assert.strictEqual(ev.ownerId, 'vpaas@kaltura.com');
    assert.strictEqual(ev.duration, 3600);
    assert.strictEqual(ev.status, 2);

    // event + link in one multirequest, with a {1:result:id} reference
    const mr = await kaltura.services.scheduleEvent.add(new kaltura.objects.RecordScheduleEvent({
      summary: 'Second', startDate: start + 7200, endDate: start + 9000,
      recurrenceType: kaltura.enums.ScheduleEventRecurrenceType.NONE,
    })).add(kaltura.services.scheduleEventResource.add(new kaltura.objects.ScheduleEventResource({
      eventId: '{1:result:id}', resourceId: room.id,
    }))).execute(client);
    assert.ok(Array.isArray(mr) && mr.length === 2, 'multirequest returns both results');
    const [second, link] = mr.map((r) => (r && r.result !== undefined ? r.result : r));
    assert.strictEqual(second.objectType, 'KalturaRecordScheduleEvent');
    assert.strictEqual(link.objectType, 'KalturaScheduleEventResource');
    assert.strictEqual(link.eventId, second.id);
    assert.strictEqual(link.resourceId, room.id);

    // a failing add (24 h limit) is a rejected promise with the raw error
    await expectError(kaltura.services.scheduleEvent.add(new kaltura.objects.RecordScheduleEvent({
      summary: 'Too long', startDate: start, endDate: start + 90000,
      recurrenceType: kaltura.enums.ScheduleEventRecurrenceType.NONE,
    })).execute(client), 'MAX_SCHEDULE_DURATION_REACHED');

    // list events of the room
    const evFilter = new kaltura.objects.RecordScheduleEventFilter({ resourceIdEqual: String(room.id) });
    const evList = await kaltura.services.scheduleEvent.listAction(evFilter).execute(client);
    assert.strictEqual(evList.totalCount, 1);
    assert.strictEqual(evList.objects[0].id, second.id);

    // deletes: link (hard, null), event and room (soft)
    const del = await kaltura.services.scheduleEventResource.deleteAction(second.id, room.id).execute(client);
    assert.ok(del === null || del === undefined || del === '', 'link delete returns null');
    const delEv = await kaltura.services.scheduleEvent.deleteAction(ev.id).execute(client);
    assert.strictEqual(delEv.status, 3);
    const delRoom = await kaltura.services.scheduleResource.deleteAction(room.id).execute(client);
    assert.strictEqual(delRoom.status, 3);
    await expectError(kaltura.services.scheduleResource.get(room.id).execute(client), 'INVALID_OBJECT_ID');

    // session.end then INVALID_KS / LOGOUT
    await kaltura.services.session.end().execute(client);
    const e = await expectError(kaltura.services.scheduleResource.listAction().execute(client), 'INVALID_KS');
    assert.strictEqual(e.args.KSID, 'LOGOUT');
    ok = true;
    console.log('kaltura-client ' + require('kaltura-client/package.json').version + ' fidelity: OK');
  } finally {
    child.removeAllListeners('exit');
    child.kill('SIGTERM');
  }
  if (!ok) process.exit(1);
}

main().catch((e) => {
  console.error('FAILED:', e && e.stack ? e.stack : JSON.stringify(e));
  process.exit(1);
});
