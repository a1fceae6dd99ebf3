export default function SignInForm({ onSignedIn }: { onSignedIn: () => void }) {
  return (
    <button type="button" onClick={onSignedIn}>
      sign in
    </button>
  );
}
