import { describe, expect, test } from 'vitest';
import { ackOnce, answerFitsInAck, ANSWER_IN_ACK_WITHIN_MS } from '../../src/slack/listeners/ack-once.js';

describe('ackOnce', () => {
  test('acknowledges once, with the first caller\'s body', async () => {
    const calls: Array<unknown> = [];
    const acknowledge = ackOnce<{ text: string }>(async (body) => {
      calls.push(body);
    });
    expect(acknowledge.done()).toBe(false);
    await acknowledge({ text: 'Won' });
    await acknowledge();
    await acknowledge({ text: 'again' });
    expect(calls).toEqual([{ text: 'Won' }]);
    expect(acknowledge.done()).toBe(true);
  });

  test('a failing ack does not throw at the listener', async () => {
    const acknowledge = ackOnce(async () => {
      throw new Error('socket closed');
    });
    await expect(acknowledge()).resolves.toBeUndefined();
  });
});

describe('answerFitsInAck', () => {
  test.each([
    [false, 0, true],
    [false, ANSWER_IN_ACK_WITHIN_MS - 1, true],
    [false, ANSWER_IN_ACK_WITHIN_MS, false],
    [false, 2_900, false],
    [true, 10, false],
  ])('acknowledged %s, %i ms after arrival → in the ack: %s', (acknowledged, elapsed, expected) => {
    expect(answerFitsInAck(acknowledged, elapsed)).toBe(expected);
  });
});
