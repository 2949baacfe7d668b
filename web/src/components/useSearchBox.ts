// A search box bound to a URL parameter: typing updates the URL after a pause; URL changes from elsewhere
// (Clear filters, back button) update the box without overwriting what the user is typing.
import { useEffect, useRef, useState } from 'react';

export function useSearchBox(urlValue: string, commit: (value: string) => void, delayMs = 300) {
  const [text, setText] = useState(urlValue);
  const pushed = useRef(urlValue);
  const commitRef = useRef(commit);
  commitRef.current = commit;
  useEffect(() => {
    if (urlValue !== pushed.current) {
      pushed.current = urlValue;
      setText(urlValue);
    }
  }, [urlValue]);
  useEffect(() => {
    const v = text.trim();
    if (v === pushed.current) return;
    const t = setTimeout(() => {
      pushed.current = v;
      commitRef.current(v);
    }, delayMs);
    return () => clearTimeout(t);
  }, [text, delayMs]);
  return [text, setText] as const;
}
