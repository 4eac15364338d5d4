// The getting-started walkthrough as the manifest declares it: every step's page exists and is
// shipped, and every command a step (or the Runs view's empty state) links to is one the
// extension contributes or a view's own focus command, so no button of the onboarding is dead.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..', '..');
interface Manifest {
  contributes: {
    commands: { command: string }[];
    views: Record<string, { id: string }[]>;
    viewsWelcome: { view: string; contents: string }[];
    walkthroughs: { id: string; steps: { id: string; description: string; media: { markdown?: string }; completionEvents?: string[] }[] }[];
  };
}
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Manifest;
const contributed = new Set(manifest.contributes.commands.map((command) => command.command));
const views = new Set(Object.values(manifest.contributes.views).flat().map((view) => view.id));
const linkedCommands = (text: string): string[] => [...text.matchAll(/\(command:([\w.]+)/g)].map((match) => match[1] ?? '');
const known = (command: string): boolean => contributed.has(command) || (command.endsWith('.focus') && views.has(command.slice(0, -'.focus'.length)));

describe('the getting-started walkthrough', () => {
  const walkthrough = manifest.contributes.walkthroughs.find((entry) => entry.id === 'dualModel.gettingStarted');

  it('takes a new user through roles, keys, a first offline run, the review and questions', () => {
    assert.deepEqual(walkthrough?.steps.map((step) => step.id), ['roles', 'keys', 'firstRun', 'review', 'questions']);
  });

  it('links only to commands and views that exist, and each step completes on its own action', () => {
    for (const step of walkthrough?.steps ?? []) {
      const commands = linkedCommands(step.description);
      assert.ok(commands.length > 0, `${step.id} offers an action`);
      for (const command of commands) assert.ok(known(command), `${step.id} links to ${command}, which nothing contributes`);
      for (const event of step.completionEvents ?? []) {
        const [kind, target = ''] = event.split(':');
        assert.ok(kind === 'onCommand' ? contributed.has(target) : kind === 'onView' ? views.has(target) : false, `${step.id} completes on ${event}, which never fires`);
      }
    }
    for (const welcome of manifest.contributes.viewsWelcome) for (const command of linkedCommands(welcome.contents)) assert.ok(known(command) || command.startsWith('workbench.'), `${welcome.view}'s empty state links to ${command}`);
  });

  it('has a page for every step, shipped in the .vsix', () => {
    const ignore = readFileSync(path.join(root, '.vscodeignore'), 'utf8');
    for (const step of walkthrough?.steps ?? []) {
      const page = step.media.markdown ?? '';
      assert.ok(existsSync(path.join(root, page)), `${page} exists`);
      assert.match(ignore, /^!media\/walkthrough\/\*\.md$/m, 'the pages are let back into the package');
    }
  });
});
