import type { Reporter, TestCase, TestModule } from 'vitest/node';

/** True when a suite around the test failed (its beforeAll/afterAll threw): the test never ran. */
function inFailedSuite(test: TestCase): boolean {
  if (test.options.mode === 'skip' || test.options.mode === 'todo') return false; // skipped on purpose
  for (let parent = test.parent; parent.type === 'suite'; parent = parent.parent) {
    if (parent.state() === 'failed') return true;
  }
  return test.module.state() === 'failed' && test.result().state === 'skipped';
}

/**
 * Prints one plain closing line, `N passed, N failed, N skipped`, after vitest's own summary, so
 * tools that read a run's last line (CI dashboards) see the counts without parsing vitest's output.
 * A test that never ran because its suite's hook failed counts as failed, not skipped.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const mod of testModules) {
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed' || inFailedSuite(test)) failed++;
        else skipped++;
      }
      if (mod.state() === 'failed' && [...mod.children.allTests()].length === 0) failed++;
    }
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
