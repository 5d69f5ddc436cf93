// The application-token flow (protocol.md I) driven by Kaltura's own Node client (kaltura-client
// 21.20.0) against kmeet-emulator: a token added with an admin KS, session.startWidgetSession,
// apptoken.startSession with the hash, the minted KS used, the token deleted and the KS revoked.
// Usage: node apptoken.js /path/to/kmeet-emulator   (NODE_PATH must find kaltura-client)
'use strict';
const assert = require('assert');
const crypto = require('crypto');
const kaltura = require('kaltura-client');

const { PARTNER, ADMIN_SECRET, startEmulator, expectError } = require('./common');

function client(port) {
  const config = new kaltura.Configuration();
  config.serviceUrl = 'http://127.0.0.1:' + port;
  config.setLogger({ log() {}, error(msg) { console.error(msg); } });  // keep KSs and tokens out of the log
  return new kaltura.Client(config);
}

function tokenHash(type, ks, token) {
  return crypto.createHash(type.toLowerCase()).update(ks + token, 'ascii').digest('hex');
}

/// Steps 1-3 of I.1 with a client that has no KS.
async function appTokenSession(anonymous, token, userId, privileges) {
  anonymous.setKs(null);
  const widget = await kaltura.services.session.startWidgetSession('_' + PARTNER).execute(anonymous);
  assert.strictEqual(widget.objectType, 'KalturaStartWidgetSessionResponse');
  assert.strictEqual(widget.partnerId, PARTNER);
  assert.ok(widget.userId === 0 || widget.userId === '0', 'widget userId 0');
  anonymous.setKs(widget.ks);
  const hash = tokenHash(token.hashType, widget.ks, token.token);
  const info = await kaltura.services.appToken.startSession(token.id, hash, userId, null, null, privileges)
    .execute(anonymous);
  return { widget, info, hash };
}

async function flow(port) {
  const admin = client(port);
  const adminKs = await kaltura.services.session.start(ADMIN_SECRET, 'admin@example.com',
    kaltura.enums.SessionType.ADMIN, PARTNER, 86400, null).execute(admin);
  admin.setKs(adminKs);

  const token = await kaltura.services.appToken.add(new kaltura.objects.AppToken({
    description: 'node flow', hashType: kaltura.enums.AppTokenHashType.SHA256,
    sessionType: kaltura.enums.SessionType.ADMIN, sessionDuration: 3600, sessionPrivileges: 'setrole:1234567',
  })).execute(admin);
  assert.strictEqual(token.objectType, 'KalturaAppToken');
  assert.match(token.id, /^0_[0-9a-z]{8}$/);
  assert.match(token.token, /^[0-9a-f]{32}$/);
  assert.strictEqual(token.status, kaltura.enums.AppTokenStatus.ACTIVE);
  assert.strictEqual(token.hashType, 'SHA256');

  const anonymous = client(port);
  const { widget, info } = await appTokenSession(anonymous, token, 'max@organization.com',
    'eventId:3371011,role:viewerRole,setrole:999');
  assert.strictEqual(info.objectType, 'KalturaSessionInfo');
  assert.strictEqual(info.sessionType, kaltura.enums.SessionType.ADMIN);
  assert.strictEqual(String(info.partnerId), String(PARTNER));
  assert.strictEqual(info.userId, 'max@organization.com');
  assert.strictEqual(info.privileges,
    'sessionid:' + token.id + ',apptoken:' + token.id + ',setrole:1234567,eventId:3371011,role:viewerRole');
  const lifetime = info.expiry - Math.floor(Date.now() / 1000);
  assert.ok(lifetime > 3590 && lifetime <= 3600, 'expiry is sessionDuration: ' + lifetime);

  // The wrong hash (upper case, or over another KS) is refused.
  const upper = tokenHash('SHA256', widget.ks, token.token).toUpperCase();
  await expectError(kaltura.services.appToken.startSession(token.id, upper).execute(anonymous), 'INVALID_APP_TOKEN_HASH');

  // The minted (ADMIN) KS works without any secret.
  const worker = client(port);
  worker.setKs(info.ks);
  const room = await kaltura.services.scheduleResource.add(new kaltura.objects.LocationScheduleResource({
    name: 'Token room', tags: 'vcprovider:newrow',
  })).execute(worker);
  assert.ok(room.id > 0);
  const me = await kaltura.services.session.get().execute(worker);
  assert.strictEqual(me.privileges, info.privileges);

  // list / get / update with the admin KS
  const list = await kaltura.services.appToken.listAction(
    new kaltura.objects.AppTokenFilter({ statusEqual: kaltura.enums.AppTokenStatus.ACTIVE }),
    new kaltura.objects.FilterPager({ pageSize: 500, pageIndex: 1 })).execute(admin);
  assert.strictEqual(list.objectType, 'KalturaAppTokenListResponse');
  assert.strictEqual(list.totalCount, 1);
  assert.strictEqual(list.objects[0].id, token.id);
  const updated = await kaltura.services.appToken.update(token.id,
    new kaltura.objects.AppToken({ description: 'rotated' })).execute(admin);
  assert.strictEqual(updated.description, 'rotated');
  assert.strictEqual((await kaltura.services.appToken.get(token.id).execute(admin)).description, 'rotated');
  await expectError(kaltura.services.appToken.add(new kaltura.objects.AppToken({ hashType: 'sha1' })).execute(admin),
    'INVALID_ENUM_VALUE');

  // Deleting the token revokes the KS it issued.
  await kaltura.services.appToken.deleteAction(token.id).execute(admin);
  const revoked = await expectError(kaltura.services.scheduleResource.listAction().execute(worker), 'INVALID_KS');
  assert.strictEqual(revoked.args.KSID, 'LOGOUT');
  await expectError(kaltura.services.appToken.get(token.id).execute(admin), 'APP_TOKEN_ID_NOT_FOUND');
  anonymous.setKs(null);
  const again = await kaltura.services.session.startWidgetSession('_' + PARTNER).execute(anonymous);
  anonymous.setKs(again.ks);
  await expectError(kaltura.services.appToken.startSession(token.id, tokenHash('SHA256', again.ks, token.token))
    .execute(anonymous), 'APP_TOKEN_ID_NOT_FOUND');
}

async function main() {
  const { child, port } = await startEmulator(process.argv[2]);
  let ok = false;
  try {
    await flow(port);
    ok = true;
    console.log('kaltura-client ' + require('kaltura-client/package.json').version + ' app-token flow: OK');
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
