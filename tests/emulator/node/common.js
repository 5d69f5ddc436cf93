// Shared by the kaltura-client scripts: start kmeet-emulator on a free port, expect an API error.
'use strict';
const { spawn } = require('child_process');
const assert = require('assert');

const PARTNER = 1234567;
const ADMIN_SECRET = 'emulator-admin-secret';
const USER_SECRET = 'emulator-user-secret';

function startEmulator(path) {
  return new Promise((resolve, reject) => {
    const child = spawn(path, ['--port', '0', '--partner-id', String(PARTNER),
      '--admin-secret', ADMIN_SECRET, '--user-secret', USER_SECRET], { stdio: ['ignore', 'pipe', 'inherit'] });
    let buf = '';
    child.stdout.on('data', (d) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) {
        const m = /^listening (\d+)$/.exec(buf.slice(0, nl));
        if (!m) return reject(new Error('unexpected first line: ' + buf.slice(0, nl)));
        resolve({ child, port: Number(m[1]) });
      }
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error('emulator exited early with ' + code)));
  });
}

async function expectError(promise, code) {
  try {
    await promise;
  } catch (e) {
    assert.strictEqual(e.code, code, 'expected ' + code + ', got ' + JSON.stringify(e));
    assert.strictEqual(e.objectType, 'KalturaAPIException');
    return e;
  }
  throw new Error('expected error ' + code);
}

module.exports = { PARTNER, ADMIN_SECRET, USER_SECRET, startEmulator, expectError };
