import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

function command(file, args, fallback) {
  try {
    return execFileSync(file, args, { encoding: 'utf8' }).trim();
  } catch {
    return fallback;
  }
}

function cpuModel() {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (match) return match[1].trim();
  } catch {
    // not Linux
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

/** `date -u` as the run's date (the shell's format, so sections read like the command's output). */
export function runDate() {
  return command('date', ['-u'], new Date().toUTCString());
}

/** The 1, 5 and 15 minute load averages; take it before the run adds its own load. */
export function loadAverage() {
  return os.loadavg();
}

/** What the numbers depend on: CPUs, memory, CPU model, PostgreSQL and Node versions, load. */
export async function machineInfo(query, loadAtStart) {
  const [{ version }] = await query('SELECT version()');
  const cpus = Number(command('nproc', [], String(os.availableParallelism())));
  const busy = loadAtStart[0] > cpus / 2;
  return {
    cpus,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    cpuModel: cpuModel(),
    postgres: version,
    node: process.version,
    loadAverage: loadAtStart.map((n) => n.toFixed(2)).join(', '),
    busyWarning: busy
      ? `the machine was busy before the run (load average ${loadAtStart[0].toFixed(2)} on ${cpus} CPUs): other work competed for the CPUs, so these numbers understate what the code can do`
      : null,
  };
}
