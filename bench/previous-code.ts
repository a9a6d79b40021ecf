// The previous landing's code, built beside this checkout, for the bench to run beside its
// own, run by run (docs/contributing.md, "Benchmarks"): this machine's speed drifts by more
// than the 10 % a figure may lose between landings, so figures saved hours apart cannot
// tell a regression from a slow stretch, while two codes run in turn share each stretch.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

export type PreviousCode = { commit: string; root: string } | { unavailable: string };

/**
 * The previous landing's code, exported from git into `into` and built there over this
 * checkout's node_modules; or why there is none (no git history, a build that fails). A
 * landing's last commit writes bench/landed.json, so the previous landing is the last
 * commit that wrote it; or the one before, when this checkout is that commit itself,
 * unchanged: CI at a landing then measures it against the landing before.
 */
export function previousLandingCode(checkout: string, into: string): PreviousCode {
  const git = (args: string[]) => spawnSync('git', args, { cwd: checkout, encoding: 'utf8', maxBuffer: 2 ** 30 });
  const log = git(['log', '-2', '--format=%H', '--', 'bench/landed.json']);
  const head = git(['rev-parse', 'HEAD']);
  const unchanged = git(['diff', '--quiet', 'HEAD']).status === 0;
  const landings = log.status === 0 ? log.stdout.trim().split('\n').filter((line) => line !== '') : [];
  const isLanding = landings.length > 0 && head.stdout.trim() === landings[0] && unchanged;
  const commit = isLanding ? landings[1] : landings[0];
  if (commit === undefined) return { unavailable: 'no git history of an earlier bench/landed.json here' };
  mkdirSync(into, { recursive: true });
  const tarball = `${into}.tar`;
  const archive = git(['archive', '--format=tar', '-o', tarball, commit]);
  if (archive.status !== 0) return { unavailable: `git archive ${commit} failed: ${archive.stderr.trim()}` };
  const unpacked = spawnSync('tar', ['-xf', tarball, '-C', into], { encoding: 'utf8' });
  if (unpacked.status !== 0) return { unavailable: `its files could not be unpacked: ${unpacked.stderr.trim()}` };
  if (!existsSync(join(checkout, 'node_modules'))) return { unavailable: 'no node_modules to build it with' };
  symlinkSync(join(checkout, 'node_modules'), join(into, 'node_modules'));
  const build = spawnSync(process.execPath, ['bin/build.mjs'], { cwd: into, encoding: 'utf8' });
  if (build.status !== 0) return { unavailable: `its build failed: ${build.stderr.trim().split('\n').at(-1)}` };
  return { commit, root: into };
}
