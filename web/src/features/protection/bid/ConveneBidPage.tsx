import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiProblem, newIdempotencyKey } from '../../../api/client.ts';
import { useSession } from '../../../api/session.tsx';
import { SelectField, TextField } from '../../../app/fields.tsx';
import { Page } from '../../../app/Page.tsx';
import { ProblemAlert, problemConcerns } from '../../../app/problems.tsx';
import { bidKeys, convene, minPanel, panelProblems, professions, questions } from './api.ts';
import { useBidText } from './text.ts';
import './bid.css';

interface Row {
  userId: string;
  profession: string;
}

const emptyRow = (): Row => ({ userId: '', profession: '' });

/**
 * Convening a BID on a case: the question, and a panel of at least three members of different
 * professions. Each member then signs their confidentiality undertaking on the BID's page.
 */
export default function ConveneBidPage() {
  const { caseId = '' } = useParams();
  const { t, question, profession } = useBidText();
  const { can } = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [which, setWhich] = useState<string>(questions[0]);
  const [panel, setPanel] = useState<Row[]>(() => Array.from({ length: minPanel }, emptyRow));
  const [tried, setTried] = useState(false);
  const key = useRef(newIdempotencyKey());
  const mutation = useMutation({
    mutationFn: () => convene(caseId, { question: which, panel: panel.map((m) => ({ userId: m.userId.trim(), profession: m.profession })) }, key.current),
    onSuccess: async (bid) => {
      await queryClient.invalidateQueries({ queryKey: bidKeys.all });
      await queryClient.invalidateQueries({ queryKey: ['protection', 'cases'] });
      navigate(`/protection/bids/${bid.id}`);
    },
  });
  const problems = panelProblems(panel);
  const back = (
    <Link to={`/protection/cases/${caseId}`} className="button">
      {t('convene.back')}
    </Link>
  );
  if (!can('protection.case.write') && !can('protection.case.supervise')) {
    return (
      <Page title={t('convene.title')}>
        <p className="notice">{t('convene.none')}</p>
      </Page>
    );
  }
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (problems.tooFew || problems.missing.length || problems.repeatedMember.length || problems.repeatedProfession.length) return;
    mutation.mutate();
  };
  const set = (index: number, change: Partial<Row>) => setPanel((rows) => rows.map((row, i) => (i === index ? { ...row, ...change } : row)));
  const serverField = (index: number, field: string) => problemConcerns(mutation.error, `panel[${index}].${field}`) || problemConcerns(mutation.error, `panel.${index}.${field}`);
  const memberError = (index: number) =>
    tried && !panel[index]!.userId.trim()
      ? t('required')
      : tried && problems.repeatedMember.includes(index)
        ? t('convene.repeatedMember')
        : serverField(index, 'userId')
          ? t('convene.memberRefused')
          : undefined;
  const professionError = (index: number) =>
    tried && !panel[index]!.profession
      ? t('required')
      : tried && problems.repeatedProfession.includes(index)
        ? t('convene.repeatedProfession')
        : serverField(index, 'profession')
          ? t('convene.professionRefused')
          : undefined;
  const panelRefused = mutation.error instanceof ApiProblem && (problemConcerns(mutation.error, 'panel') || mutation.error.field === 'panel');

  return (
    <Page title={t('convene.title')} actions={back}>
      <p className="help">{t('convene.intro', { count: minPanel })}</p>
      <form onSubmit={onSubmit} noValidate className="bid-convene">
        <SelectField label={t('convene.question')} value={which} onValueChange={setWhich} options={questions.map((value) => ({ value, label: question(value) }))} />
        <fieldset>
          <legend>{t('convene.panel')}</legend>
          {panel.map((row, index) => (
            <div className="bid-member" key={index} role="group" aria-label={t('convene.memberGroup', { n: index + 1 })}>
              <TextField label={t('convene.memberN', { n: index + 1 })} help={index === 0 ? t('convene.memberHelp') : undefined} value={row.userId} onValueChange={(userId) => set(index, { userId })} required maxLength={64} error={memberError(index)} />
              <SelectField
                label={t('convene.professionN', { n: index + 1 })}
                value={row.profession}
                onValueChange={(value) => set(index, { profession: value })}
                required
                error={professionError(index)}
                options={[{ value: '', label: t('convene.chooseProfession') }, ...professions.map((value) => ({ value, label: profession(value) }))]}
              />
              {panel.length > minPanel ? (
                <button type="button" className="link-button" onClick={() => setPanel((rows) => rows.filter((_, i) => i !== index))}>
                  {t('convene.remove', { n: index + 1 })}
                </button>
              ) : null}
            </div>
          ))}
          <button type="button" onClick={() => setPanel((rows) => [...rows, emptyRow()])}>
            {t('convene.addMember')}
          </button>
          {tried && problems.tooFew ? (
            <p className="field-error" role="alert">
              {t('convene.tooFew', { count: minPanel })}
            </p>
          ) : null}
        </fieldset>
        {panelRefused ? (
          <p className="problem" role="alert">
            {t('convene.panelRefused', { count: minPanel })}
          </p>
        ) : mutation.error && !panel.some((_, i) => serverField(i, 'userId') || serverField(i, 'profession')) ? (
          <ProblemAlert error={mutation.error} />
        ) : null}
        <div className="actions">
          <button type="submit" className="primary" disabled={mutation.isPending}>
            {t('convene.submit')}
          </button>
        </div>
      </form>
    </Page>
  );
}
