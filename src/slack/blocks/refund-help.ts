/** The `/deal help` line about refunds (kept here so the help list takes it as one insertion). */
export const REFUND_HELP_LINE =
  '`/deal refund Acme 2m damaged goods`: a refund or return against Acme\'s won deal, counted against net revenue today (asks which deal when there are several, and to confirm more than was won); also *Record refund* on the App Home';
