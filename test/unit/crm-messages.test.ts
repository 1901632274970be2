import { describe, expect, test } from 'vitest';
import { crmFailureNotice } from '../../src/slack/blocks/crm-messages.js';

describe('crmFailureNotice', () => {
  test.each([
    [{ vendor: 'hubspot', status: 'revoked', error: '401 Unauthorized' }, /HubSpot stopped accepting.*401 Unauthorized.*connects HubSpot again/],
    [{ vendor: 'pipedrive', status: 'failing', error: 'Pipedrive 503' }, /Pipedrive sync is failing \(Pipedrive 503\).*not be told again/],
  ])('%o', (notice, expected) => {
    expect(crmFailureNotice(notice).text).toMatch(expected);
  });
  test('the error text from the CRM cannot mention anyone', () => {
    const text = crmFailureNotice({ vendor: 'salesforce', status: 'failing', error: '<!channel> & <@U123>' }).text;
    expect(text).toContain('&lt;!channel&gt; &amp; &lt;@U123&gt;');
    expect(text).not.toContain('<!channel>');
  });
});
