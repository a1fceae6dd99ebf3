import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApiProblem } from '../../../api/client.ts';
import { useSession } from '../../../api/session.tsx';
import { ChoiceField, SelectField, TextAreaField, TextField } from '../../../app/fields.tsx';
import { Page } from '../../../app/Page.tsx';
import { ProblemAlert } from '../../../app/problems.tsx';
import { type Bid, bidKeys, bidOptions, currentStep, daysAfter, getBid, majority, type Step, steps, stepsDone, tally } from './api.ts';
import { ActionForm, ActionProblem, allowed, useBidAction } from './forms.tsx';
import { useBidText } from './text.ts';
import './bid.css';

/** The guided flow's outline: each step, done or not, the current one marked. */
function Outline({ bid }: { bid: Bid }) {
  const { t } = useBidText();
  const done = stepsDone(bid);
  const current = currentStep(bid);
  return (
    <nav aria-label={t('flow.label')} className="bid-steps">
      <ol>
        {steps.map((step) => (
          <li key={step} className={done[step] ? 'done' : step === current ? 'current' : 'pending'} aria-current={step === current ? 'step' : undefined}>
            <a href={`#step-${step}`}>{t(`flow.${step}`)}</a> <span className="help">{done[step] ? t('flow.done') : step === current ? t('flow.now') : t('flow.later')}</span>
          </li>
        ))}
      </ol>
    </nav>
  );
}

function Section({ step, children, intro }: { step: Step; children: React.ReactNode; intro?: string }) {
  const { t } = useBidText();
  return (
    <section aria-labelledby={`step-${step}-title`} id={`step-${step}`} className="bid-step">
      <h2 id={`step-${step}-title`}>{t(`flow.${step}`)}</h2>
      {intro ? <p className="help">{intro}</p> : null}
      {children}
    </section>
  );
}

/** The panel and each member's confidentiality undertaking; the signed-in member signs theirs here. */
function Panel({ bid }: { bid: Bid }) {
  const { t, format, profession, person } = useBidText();
  const sign = useBidAction(bid);
  return (
    <Section step="panel" intro={t('panel.intro')}>
      <table className="bid-panel">
        <caption className="visually-hidden">{t('panel.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('panel.member')}</th>
            <th scope="col">{t('panel.profession')}</th>
            <th scope="col">{t('panel.undertaking')}</th>
          </tr>
        </thead>
        <tbody>
          {bid.panel.map((member) => (
            <tr key={member.member}>
              <th scope="row">{person(bid, member.member)}</th>
              <td>{profession(member.profession)}</td>
              <td>{member.signedAt ? t('panel.signedOn', { date: format.dateTime(member.signedAt) }) : <span className="badge pending">{t('panel.pending')}</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div id="step-undertakings">
        {allowed(bid, 'SIGN_UNDERTAKING') ? (
          <div className="bid-undertaking">
            <h3>{t('panel.yourUndertaking')}</h3>
            <p>{t('panel.undertakingText')}</p>
            <ActionProblem bid={bid} error={sign.error} />
            <button type="button" className="primary" disabled={sign.isPending} onClick={() => sign.mutate({ type: 'SIGN_UNDERTAKING' })}>
              {t('panel.sign')}
            </button>
          </div>
        ) : null}
      </div>
    </Section>
  );
}

/** The child's own views: heard in a language they understand, weighed by age and maturity; or why they were not heard. */
function ChildViewsStep({ bid }: { bid: Bid }) {
  const { t, format, language, person } = useBidText();
  const [heard, setHeard] = useState<'yes' | 'no'>('yes');
  const [lang, setLang] = useState('');
  const [views, setViews] = useState('');
  const [maturity, setMaturity] = useState('');
  const [reason, setReason] = useState('');
  const [again, setAgain] = useState(false);
  const recorded = bid.childViews;
  return (
    <Section step="childViews" intro={t('child.intro')}>
      {recorded ? (
        <dl className="facts bid-child-views">
          {recorded.heard ? (
            <>
              <dt>{t('child.heard')}</dt>
              <dd>{t('child.heardYes')}</dd>
              <dt>{t('child.language')}</dt>
              <dd>{language(recorded.language)}</dd>
              <dt>{t('child.views')}</dt>
              <dd className="reason">{recorded.views}</dd>
              <dt>{t('child.ageAndMaturity')}</dt>
              <dd className="reason">{recorded.ageAndMaturity}</dd>
            </>
          ) : (
            <>
              <dt>{t('child.heard')}</dt>
              <dd>{t('child.heardNo')}</dd>
              <dt>{t('child.reasonNotHeard')}</dt>
              <dd className="reason">{recorded.reasonNotHeard}</dd>
            </>
          )}
          <dt>{t('recordedBy')}</dt>
          <dd>{t('byOn', { who: person(bid, recorded.by), date: format.dateTime(recorded.at) })}</dd>
        </dl>
      ) : null}
      {allowed(bid, 'CHILD_VIEWS') && recorded && !again ? (
        <button type="button" onClick={() => setAgain(true)}>
          {t('child.again')}
        </button>
      ) : null}
      {allowed(bid, 'CHILD_VIEWS') && (!recorded || again) ? (
        <ActionForm
          bid={bid}
          onDone={() => setAgain(false)}
          title={recorded ? t('child.again') : t('child.record')}
          submit={t('child.submit')}
          build={() => {
            if (heard === 'yes') return lang.trim() && views.trim() && maturity.trim() ? { type: 'CHILD_VIEWS', childViews: { heard: true, language: lang.trim(), views: views.trim(), ageAndMaturity: maturity.trim() } } : undefined;
            return reason.trim() ? { type: 'CHILD_VIEWS', childViews: { heard: false, reasonNotHeard: reason.trim() } } : undefined;
          }}
        >
          {(tried) => (
            <>
              <ChoiceField
                legend={t('child.heardQuestion')}
                name="child-heard"
                value={heard}
                onValueChange={(v) => setHeard(v === 'no' ? 'no' : 'yes')}
                options={[
                  { value: 'yes', label: t('child.heardYes') },
                  { value: 'no', label: t('child.heardNo') },
                ]}
              />
              {heard === 'yes' ? (
                <>
                  <TextField label={t('child.language')} help={t('child.languageHelp')} value={lang} onValueChange={setLang} required maxLength={60} list="bid-languages" error={tried && !lang.trim() ? t('required') : undefined} />
                  <datalist id="bid-languages">
                    {['kk', 'ru', 'uz', 'ky', 'tg', 'en', 'af', 'ar'].map((code) => (
                      <option key={code} value={language(code)} />
                    ))}
                  </datalist>
                  <TextAreaField label={t('child.views')} help={t('child.viewsHelp')} value={views} onValueChange={setViews} required maxLength={4000} rows={4} error={tried && !views.trim() ? t('required') : undefined} />
                  <TextAreaField label={t('child.ageAndMaturity')} help={t('child.ageAndMaturityHelp')} value={maturity} onValueChange={setMaturity} required maxLength={2000} rows={2} error={tried && !maturity.trim() ? t('required') : undefined} />
                </>
              ) : (
                <TextAreaField label={t('child.reasonNotHeard')} help={t('child.reasonNotHeardHelp')} value={reason} onValueChange={setReason} required maxLength={2000} rows={3} error={tried && !reason.trim() ? t('required') : undefined} />
              )}
            </>
          )}
        </ActionForm>
      ) : null}
    </Section>
  );
}

function ParentViewsStep({ bid }: { bid: Bid }) {
  const { t, format, who, person } = useBidText();
  const [whom, setWhom] = useState('mother');
  const [views, setViews] = useState('');
  return (
    <Section step="parentViews" intro={t('parents.intro')}>
      {bid.parentViews.length ? (
        <ul className="bid-list">
          {bid.parentViews.map((entry, i) => (
            <li key={i}>
              <strong>{who(entry.who)}</strong>: <span className="reason">{entry.views}</span>
              <span className="help"> — {t('byOn', { who: person(bid, entry.by), date: format.dateTime(entry.at) })}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="notice">{t('parents.none')}</p>
      )}
      {allowed(bid, 'PARENT_VIEWS') ? (
        <ActionForm bid={bid} title={t('parents.record')} submit={t('parents.submit')} build={() => (views.trim() ? { type: 'PARENT_VIEWS', who: whom, views: views.trim() } : undefined)} onDone={() => setViews('')}>
          {(tried) => (
            <>
              <SelectField label={t('parents.who')} value={whom} onValueChange={setWhom} options={['mother', 'father', 'guardian', 'other'].map((value) => ({ value, label: who(value) }))} />
              <TextAreaField label={t('parents.views')} value={views} onValueChange={setViews} required maxLength={4000} rows={3} error={tried && !views.trim() ? t('required') : undefined} />
            </>
          )}
        </ActionForm>
      ) : null}
    </Section>
  );
}

function OptionsStep({ bid }: { bid: Bid }) {
  const { t, option } = useBidText();
  // An option is considered once; the form offers those not on the table yet.
  const remaining = bidOptions.filter((o) => !bid.options.some((considered) => considered.option === o));
  const [picked, setChosen] = useState<string>('');
  const chosen = remaining.includes(picked as (typeof bidOptions)[number]) ? picked : (remaining[0] ?? '');
  const [evidence, setEvidence] = useState('');
  return (
    <Section step="options" intro={t('options.intro')}>
      {bid.options.length ? (
        <table className="bid-options">
          <caption className="visually-hidden">{t('options.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('options.option')}</th>
              <th scope="col">{t('options.evidence')}</th>
            </tr>
          </thead>
          <tbody>
            {bid.options.map((entry, i) => (
              <tr key={i}>
                <th scope="row">{option(entry.option)}</th>
                <td className="reason">{entry.evidence}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="notice">{t('options.none')}</p>
      )}
      {allowed(bid, 'ADD_OPTION') && remaining.length ? (
        <ActionForm bid={bid} title={t('options.add')} submit={t('options.submit')} build={() => (evidence.trim() && chosen ? { type: 'ADD_OPTION', option: chosen, evidence: evidence.trim() } : undefined)} onDone={() => setEvidence('')}>
          {(tried) => (
            <>
              <SelectField label={t('options.option')} value={chosen} onValueChange={setChosen} options={remaining.map((value) => ({ value, label: option(value) }))} />
              <TextAreaField label={t('options.evidence')} help={t('options.evidenceHelp')} value={evidence} onValueChange={setEvidence} required maxLength={4000} rows={3} error={tried && !evidence.trim() ? t('required') : undefined} />
            </>
          )}
        </ActionForm>
      ) : null}
    </Section>
  );
}

/** The panel's deliberations: the server sends them only to the panel and the supervisor. */
function Deliberations({ bid }: { bid: Bid }) {
  const { t, format, person } = useBidText();
  const [note, setNote] = useState('');
  if (bid.deliberations === null) return null;
  return (
    <section aria-labelledby="deliberations-title" className="bid-step">
      <h2 id="deliberations-title">{t('deliberations.title')}</h2>
      <p className="help">{t('deliberations.intro')}</p>
      {bid.deliberations.length ? (
        <ul className="bid-list">
          {bid.deliberations.map((entry, i) => (
            <li key={i}>
              <span className="reason">{entry.note}</span> <span className="help">— {t('byOn', { who: person(bid, entry.by), date: format.dateTime(entry.at) })}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="notice">{t('deliberations.none')}</p>
      )}
      {allowed(bid, 'DELIBERATE') ? (
        <ActionForm bid={bid} title={t('deliberations.add')} submit={t('deliberations.submit')} build={() => (note.trim() ? { type: 'DELIBERATE', note: note.trim() } : undefined)} onDone={() => setNote('')}>
          {(tried) => <TextAreaField label={t('deliberations.note')} value={note} onValueChange={setNote} required maxLength={4000} rows={3} error={tried && !note.trim() ? t('required') : undefined} />}
        </ActionForm>
      ) : null}
    </section>
  );
}

/** The options on the table: those with evidence first, then the rest of the pack's. */
function optionChoices(bid: Bid): string[] {
  const considered = [...new Set(bid.options.map((o) => o.option))];
  return considered.length ? considered : [...bidOptions];
}

function Votes({ bid }: { bid: Bid }) {
  const { t, option, person, format } = useBidText();
  const { me } = useSession();
  const mine = bid.votes?.find((v) => me !== null && v.member === `${me.kind}:${me.id}`);
  const choices = optionChoices(bid);
  const [chosen, setChosen] = useState(mine?.option ?? choices[0] ?? '');
  const [reasons, setReasons] = useState('');
  return (
    <Section step="votes" intro={t('votes.intro')}>
      {bid.votes === null ? (
        <p className="notice">{t('votes.hidden')}</p>
      ) : bid.votes.length ? (
        <>
          <table className="bid-votes">
            <caption className="visually-hidden">{t('votes.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('panel.member')}</th>
                <th scope="col">{t('votes.option')}</th>
                <th scope="col">{t('votes.reasons')}</th>
              </tr>
            </thead>
            <tbody>
              {bid.votes.map((vote) => (
                <tr key={vote.member}>
                  <th scope="row">{person(bid, vote.member)}</th>
                  <td>{option(vote.option)}</td>
                  <td className="reason">
                    {vote.reasons}
                    <span className="help"> ({format.dateTime(vote.at)})</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="help" data-testid="bid-tally">
            {tally(bid.votes)
              .map((entry) => t('votes.count', { option: option(entry.option), count: entry.count }))
              .join('; ')}
          </p>
        </>
      ) : (
        <p className="notice">{t('votes.none')}</p>
      )}
      {allowed(bid, 'VOTE') ? (
        <ActionForm bid={bid} title={mine ? t('votes.change') : t('votes.cast')} submit={t('votes.submit')} build={() => (chosen && reasons.trim() ? { type: 'VOTE', option: chosen, reasons: reasons.trim() } : undefined)} onDone={() => setReasons('')}>
          {(tried) => (
            <>
              <ChoiceField legend={t('votes.option')} name="bid-vote" value={chosen} onValueChange={setChosen} options={choices.map((value) => ({ value, label: option(value) }))} />
              <TextAreaField label={t('votes.reasons')} help={t('votes.reasonsHelp')} value={reasons} onValueChange={setReasons} required maxLength={4000} rows={3} error={tried && !reasons.trim() ? t('required') : undefined} />
            </>
          )}
        </ActionForm>
      ) : null}
    </Section>
  );
}

function DecisionStep({ bid }: { bid: Bid }) {
  const { t, option, format, person } = useBidText();
  const choices = optionChoices(bid);
  const proposed = bid.votes ? majority(bid.votes) : undefined;
  const [chosen, setChosen] = useState(proposed ?? choices[0] ?? '');
  const [reasons, setReasons] = useState('');
  const today = new Date().toISOString().slice(0, 10);
  const [reviewOn, setReviewOn] = useState(daysAfter(today, 180));
  const decision = bid.decision;
  return (
    <Section step="decision" intro={t('decision.intro')}>
      {decision ? (
        <div className="bid-decision" data-testid="bid-decision">
          <dl className="facts">
            <dt>{t('decision.option')}</dt>
            <dd>
              <strong>{option(decision.option)}</strong>
            </dd>
            <dt>{t('decision.reasons')}</dt>
            <dd className="reason">{decision.reasons}</dd>
            <dt>{t('decision.reviewOn')}</dt>
            <dd>{format.date(decision.reviewOn)}</dd>
            <dt>{t('decision.decidedBy')}</dt>
            <dd>{t('byOn', { who: person(bid, decision.by), date: format.dateTime(decision.at) })}</dd>
          </dl>
          <h3>{t('decision.dissent')}</h3>
          {decision.dissent.length ? (
            <ul className="bid-list bid-dissent">
              {decision.dissent.map((d) => (
                <li key={d.member}>
                  {t('decision.dissentLine', { who: person(bid, d.member), option: option(d.option) })} <span className="reason">{d.reasons}</span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="notice">{t('decision.noDissent')}</p>
          )}
        </div>
      ) : null}
      {!decision && allowed(bid, 'DECIDE') ? (
        <ActionForm bid={bid} title={t('decision.record')} submit={t('decision.submit')} build={() => (chosen && reasons.trim() && reviewOn ? { type: 'DECIDE', option: chosen, reasons: reasons.trim(), reviewOn } : undefined)}>
          {(tried) => (
            <>
              {proposed ? <p className="help">{t('decision.majority', { option: option(proposed) })}</p> : <p className="help">{t('decision.noMajority')}</p>}
              <SelectField label={t('decision.option')} value={chosen} onValueChange={setChosen} options={choices.map((value) => ({ value, label: option(value) }))} />
              <TextAreaField label={t('decision.reasons')} value={reasons} onValueChange={setReasons} required maxLength={4000} rows={4} error={tried && !reasons.trim() ? t('required') : undefined} />
              <TextField label={t('decision.reviewOn')} type="date" value={reviewOn} onValueChange={setReviewOn} required min={today} error={tried && !reviewOn ? t('required') : undefined} />
            </>
          )}
        </ActionForm>
      ) : null}
      {!decision && !allowed(bid, 'DECIDE') ? <p className="notice">{t('decision.notYet')}</p> : null}
    </Section>
  );
}

/** After the decision: reviews (confirmed or reopened) and appeals by the child, a parent or the guardian. */
function ReviewStep({ bid }: { bid: Bid }) {
  const { t, format, person, who } = useBidText();
  const [outcome, setOutcome] = useState<'confirmed' | 'reopened'>('confirmed');
  const [reason, setReason] = useState('');
  const [appellant, setAppellant] = useState<'child' | 'guardian' | 'parent'>('child');
  const [grounds, setGrounds] = useState('');
  const [appealOutcome, setAppealOutcome] = useState<'upheld' | 'overturned'>('upheld');
  const [appealReason, setAppealReason] = useState('');
  return (
    <Section step="review" intro={t('review.intro')}>
      {bid.reviews.length ? (
        <ul className="bid-list">
          {bid.reviews.map((r, i) => (
            <li key={i}>
              <strong>{t(`review.outcome.${r.outcome}`)}</strong>: <span className="reason">{r.reason}</span>
              <span className="help"> — {t('byOn', { who: person(bid, r.by), date: format.dateTime(r.at) })}</span>
            </li>
          ))}
        </ul>
      ) : null}
      {bid.appeals.length ? (
        <ul className="bid-list">
          {bid.appeals.map((a, i) => (
            <li key={i}>
              {t('review.appealBy', { who: who(a.by) })}: <span className="reason">{a.grounds}</span>
              {a.outcome ? (
                <span>
                  {' '}
                  — <strong>{t(`review.appealOutcome.${a.outcome}`)}</strong>
                  {a.reason ? `: ${a.reason}` : ''}
                </span>
              ) : (
                <span className="badge pending">{t('review.appealPending')}</span>
              )}
            </li>
          ))}
        </ul>
      ) : null}
      {!bid.reviews.length && !bid.appeals.length ? <p className="notice">{bid.decision ? t('review.noneYet', { date: format.date(bid.decision.reviewOn) }) : t('review.afterDecision')}</p> : null}
      {allowed(bid, 'REVIEW') ? (
        <ActionForm bid={bid} title={t('review.record')} submit={t('review.submit')} build={() => (reason.trim() ? { type: 'REVIEW', outcome, reason: reason.trim() } : undefined)} onDone={() => setReason('')}>
          {(tried) => (
            <>
              <ChoiceField
                legend={t('review.outcomeQuestion')}
                name="bid-review"
                value={outcome}
                onValueChange={(v) => setOutcome(v === 'reopened' ? 'reopened' : 'confirmed')}
                options={[
                  { value: 'confirmed', label: t('review.outcome.confirmed') },
                  { value: 'reopened', label: t('review.outcome.reopened') },
                ]}
              />
              <TextAreaField label={t('review.reason')} value={reason} onValueChange={setReason} required maxLength={2000} rows={2} error={tried && !reason.trim() ? t('required') : undefined} />
            </>
          )}
        </ActionForm>
      ) : null}
      {allowed(bid, 'APPEAL') ? (
        <ActionForm bid={bid} title={t('review.appeal')} submit={t('review.appealSubmit')} build={() => (grounds.trim() ? { type: 'APPEAL', by: appellant, grounds: grounds.trim() } : undefined)} onDone={() => setGrounds('')}>
          {(tried) => (
            <>
              <SelectField label={t('review.appellant')} value={appellant} onValueChange={(v) => setAppellant(v === 'guardian' || v === 'parent' ? v : 'child')} options={['child', 'guardian', 'parent'].map((value) => ({ value, label: who(value) }))} />
              <TextAreaField label={t('review.grounds')} value={grounds} onValueChange={setGrounds} required maxLength={4000} rows={3} error={tried && !grounds.trim() ? t('required') : undefined} />
            </>
          )}
        </ActionForm>
      ) : null}
      {allowed(bid, 'APPEAL_DECIDED') ? (
        <ActionForm bid={bid} title={t('review.appealDecide')} submit={t('review.appealDecideSubmit')} build={() => (appealReason.trim() ? { type: 'APPEAL_DECIDED', outcome: appealOutcome, reason: appealReason.trim() } : undefined)} onDone={() => setAppealReason('')}>
          {(tried) => (
            <>
              <ChoiceField
                legend={t('review.appealOutcomeQuestion')}
                name="bid-appeal-outcome"
                value={appealOutcome}
                onValueChange={(v) => setAppealOutcome(v === 'overturned' ? 'overturned' : 'upheld')}
                options={[
                  { value: 'upheld', label: t('review.appealOutcome.upheld') },
                  { value: 'overturned', label: t('review.appealOutcome.overturned') },
                ]}
              />
              <TextAreaField label={t('review.reason')} value={appealReason} onValueChange={setAppealReason} required maxLength={2000} rows={2} error={tried && !appealReason.trim() ? t('required') : undefined} />
            </>
          )}
        </ActionForm>
      ) : null}
    </Section>
  );
}

/** One BID as a guided flow, step by step; each reader sees and does what the server allows them. */
export default function BidPage() {
  const { id = '' } = useParams();
  const { t, question, status } = useBidText();
  const { can } = useSession();
  const allowedToRead = can('protection.case.read') || can('protection.bid.decide');
  const query = useQuery({ queryKey: bidKeys.one(id), queryFn: () => getBid(id), enabled: allowedToRead, retry: false });
  const back = (
    <Link to="/protection/bids" className="button">
      {t('page.back')}
    </Link>
  );
  if (!allowedToRead) {
    return (
      <Page title={t('page.title')}>
        <p className="notice">{t('page.none')}</p>
      </Page>
    );
  }
  if (query.isPending) {
    return (
      <Page title={t('page.title')} actions={back}>
        <p className="loading">{t('common.loading', { ns: 'shell' })}</p>
      </Page>
    );
  }
  if (!query.data) {
    const missing = query.error instanceof ApiProblem && query.error.status === 404;
    return (
      <Page title={t('page.title')} actions={back}>
        {missing ? <p className="notice">{t('page.notFound')}</p> : <ProblemAlert error={query.error} />}
      </Page>
    );
  }
  const bid = query.data;
  return (
    <Page title={t('page.title')} actions={back}>
      <p className="bid-summary">
        <span className="bid-question">{question(bid.question)}</span> <span className="badge" data-testid="bid-status">{status(bid.status)}</span>{' '}
        <Link to={`/protection/cases/${bid.caseId}`}>{t('page.openCase')}</Link>
      </p>
      <Outline bid={bid} />
      <Panel bid={bid} />
      <ChildViewsStep bid={bid} />
      <ParentViewsStep bid={bid} />
      <OptionsStep bid={bid} />
      <Deliberations bid={bid} />
      <Votes bid={bid} />
      <DecisionStep bid={bid} />
      <ReviewStep bid={bid} />
    </Page>
  );
}
