import { Type } from 'typebox';
import { type RecordDefinition, registerRecordType } from '../../src/core/action-log/record-definition.ts';

/** A minimal record type for exercising the generic action log without any civil-record module. */
export type NoteState = { status: 'OPEN' | 'CLOSED'; jurisdiction: string; text: string; edits: number };

export const noteRecord: RecordDefinition<NoteState> = registerRecordType<NoteState>({
  type: 'test_note',
  transitions: { '(new)': ['OPEN'], OPEN: ['EDIT', 'CLOSE'], CLOSED: ['REOPEN'] },
  payloads: {
    OPEN: Type.Object({ text: Type.Optional(Type.String()), jurisdiction: Type.Optional(Type.String()) }),
    EDIT: Type.Object({ text: Type.Optional(Type.String()) }),
    CLOSE: Type.Object({}),
    REOPEN: Type.Object({}),
  },
  reduce(state, action) {
    const payload = action.payload as { text?: string; jurisdiction?: string };
    switch (action.type) {
      case 'OPEN':
        return {
          status: 'OPEN',
          jurisdiction: payload.jurisdiction ?? '750000000',
          text: payload.text ?? '',
          edits: 0,
        };
      case 'EDIT':
        return { ...state!, text: payload.text ?? state!.text, edits: state!.edits + 1 };
      case 'CLOSE':
        return { ...state!, status: 'CLOSED' };
      case 'REOPEN':
        return { ...state!, status: 'OPEN' };
      default:
        throw new Error(`unknown action ${action.type}`);
    }
  },
  status: (state) => state.status,
  keys: (state) => ({ jurisdiction: state.jurisdiction }),
});
