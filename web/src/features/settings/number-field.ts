/**
 * A whole number typed into a plain `<Input type="number">` (antd's InputNumber steppers are under the 44 px tap
 * target on a phone), as the form's value: empty stays empty so `required` speaks.
 */
export const toNumber = (v: string | number | undefined) => (v === '' || v === undefined ? undefined : Number(v));
