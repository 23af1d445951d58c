import { useSearchParams } from 'react-router';

/** List filters kept in the URL (shareable, survive reload): the params and a setter that drops empty values. */
export function useFilterParams<K extends string>(): [URLSearchParams, (key: K, value: string | undefined) => void] {
  const [params, setParams] = useSearchParams();
  const setFilter = (key: K, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  return [params, setFilter];
}
