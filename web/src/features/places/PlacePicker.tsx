import { TextField } from '../../app/fields.tsx';

/**
 * THE CONTRACT for choosing a place (KATO code) or a health facility. This first version is a plain
 * code field; the places feature replaces it with a combobox that searches the server by prefix in
 * three languages, keeping these props.
 */
export interface PlacePickerProps {
  label: string;
  /** The chosen place's 9-digit KATO code. */
  value: string | undefined;
  onChange(kato: string | undefined): void;
  /** Only places inside this KATO place. */
  within?: string;
  level?: 'region' | 'district' | 'okrug' | 'settlement';
  error?: string;
  help?: string;
  required?: boolean;
}

export function PlacePicker({ label, value, onChange, error, help, required }: PlacePickerProps) {
  return <TextField label={label} value={value ?? ''} onValueChange={(v) => onChange(v || undefined)} error={error} help={help} required={required} />;
}

export interface FacilityPickerProps {
  label: string;
  /** The chosen facility's id (kz-hf-71-001). */
  value: string | undefined;
  onChange(facilityId: string | undefined): void;
  within?: string;
  error?: string;
  help?: string;
  required?: boolean;
}

export function FacilityPicker({ label, value, onChange, error, help, required }: FacilityPickerProps) {
  return <TextField label={label} value={value ?? ''} onValueChange={(v) => onChange(v || undefined)} error={error} help={help} required={required} />;
}
