// Starting and stopping `prioritise serve` for the browser tests, and the few JSON API calls
// the tests need (reading the exercise, opening and closing rounds).

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

// At least 32 characters: the server refuses a shorter admin token.
export const ADMIN_TOKEN = 'browser-test-admin-token-0123456789abcdefghij';
export const ADMIN_EMAIL = 'lead@example.org';
export const ADMIN_PASSWORD = 'browser test passphrase';

/** Runs a command to its end; resolves with { code, stdout, stderr }. */
function run(command, args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export function checkBinary(bin) {
  if (!existsSync(bin)) {
    throw new Error(
      `the prioritise binary is not at ${bin}: build it with \`cargo build -p prioritise\`, or set PRIORITISE_BIN`,
    );
  }
}

/** `prioritise admin add EMAIL --db DB`, the password from the environment. */
export async function addAdmin(bin, db) {
  const result = await run(bin, ['admin', 'add', ADMIN_EMAIL, '--db', db], {
    PRIORITISE_ADMIN_PASSWORD: ADMIN_PASSWORD,
    PRIORITISE_LOG: 'warn',
  });
  if (result.code !== 0) {
    throw new Error(`prioritise admin add exited with ${result.code}:\n${result.stderr}${result.stdout}`);
  }
}

/**
 * Starts `prioritise serve` on a free port and waits for the line that tells its address.
 * Resolves with { base, log(), stop() }.
 */
export async function startServer({ bin, db, surveys, timeoutMs = 30_000 }) {
  const child = spawn(
    bin,
    ['serve', '--db', db, '--bind', '127.0.0.1:0', '--surveys', surveys, '--submit-rate', '0', '--sign-in-rate', '0'],
    {
      env: { ...process.env, PRIORITISE_ADMIN_TOKEN: ADMIN_TOKEN, PRIORITISE_LOG: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  let exited = null;
  child.stdout.on('data', (chunk) => (output += chunk));
  const exitedPromise = new Promise((resolve) => child.on('exit', (code, signal) => resolve((exited = { code, signal }))));

  const base = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`prioritise serve did not tell its address within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
      // Only a whole line: a chunk may end in the middle of the address.
      const match = /^.* on (http:\/\/[^\s/]+)\r?\n/m.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    exitedPromise.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`prioritise serve exited (code ${code}, signal ${signal}) before listening:\n${output}`));
    });
  });

  return {
    base,
    pid: child.pid,
    log: () => output,
    exited: () => exited,
    /** SIGTERM, then SIGKILL if it has not stopped after a few seconds. */
    async stop() {
      if (exited) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      const result = await exitedPromise;
      clearTimeout(timer);
      return result;
    },
    /** For process exit handlers, which cannot wait. */
    killNow() {
      if (!exited) child.kill('SIGKILL');
    },
  };
}

async function api(base, method, path, body) {
  const response = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${ADMIN_TOKEN}`,
      Accept: 'application/json',
      ...(body ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`${method} /api/v1${path} answered ${response.status}: ${text}`);
  }
  return text ? JSON.parse(text) : null;
}

/** The exercise as the API describes it: title, groups, items, rounds (with state). */
export function getExercise(base, exercise) {
  return api(base, 'GET', `/exercises/${encodeURIComponent(exercise)}`);
}

export function listExercises(base) {
  return api(base, 'GET', '/exercises');
}

export async function openRound(base, exercise, round) {
  return api(base, 'POST', `/exercises/${encodeURIComponent(exercise)}/rounds/${encodeURIComponent(round)}/open`);
}

export async function closeRound(base, exercise, round) {
  return api(base, 'POST', `/exercises/${encodeURIComponent(exercise)}/rounds/${encodeURIComponent(round)}/close`);
}
