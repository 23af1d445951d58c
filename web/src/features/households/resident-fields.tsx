import { Col, Form, Input, Radio, Row, Select } from 'antd';
import { awayScopeOptions, relationOptions } from './household-labels.ts';
import { birthDateFromId, idNumberProblem, normalizeIdNumber, sexFromId } from './id-number.ts';

/** Form values of one resident; awayScope '' means 在家 (sent as null). */
export interface ResidentFormValues {
  name: string;
  relation: string;
  idNumber?: string;
  sex?: 'M' | 'F';
  birthDate?: string;
  phone?: string;
  awayScope?: '' | 'city' | 'province' | 'abroad';
  awayPlace?: string;
}

const PHONE = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/;

/**
 * The fields of one resident. `name` is the path inside the Form (or Form.List) the fields live under and `full`
 * the absolute path, used to fill in sex and birth date from the ID number.
 */
export function ResidentFields({ name, full, editing }: { name: (string | number)[]; full: (string | number)[]; editing?: boolean }) {
  const form = Form.useFormInstance();
  const awayScope = Form.useWatch([...full, 'awayScope'], form) as string | undefined;

  function onIdNumber(raw: string) {
    const v = normalizeIdNumber(raw);
    if (v.length !== 18 || idNumberProblem(v)) return;
    const birth = birthDateFromId(v);
    const sex = sexFromId(v);
    if (birth) form.setFieldValue([...full, 'birthDate'], birth);
    if (sex) form.setFieldValue([...full, 'sex'], sex);
  }

  return (
    <Row gutter={12}>
      <Col xs={24} sm={12}>
        <Form.Item label="姓名" name={[...name, 'name']} rules={[{ required: true, whitespace: true, message: '请填写姓名' }, { max: 40, message: '姓名最多40个字' }]}>
          <Input autoComplete="off" maxLength={40} />
        </Form.Item>
      </Col>
      <Col xs={24} sm={12}>
        <Form.Item label="与户主关系" name={[...name, 'relation']} rules={[{ required: true, message: '请选择与户主关系' }]}>
          <Select options={relationOptions.map((r) => ({ value: r, label: r }))} placeholder="请选择" />
        </Form.Item>
      </Col>
      <Col xs={24} sm={12}>
        <Form.Item
          label="身份证号"
          name={[...name, 'idNumber']}
          extra={editing ? '不需要更正时请留空' : '填好后会自动带出性别和出生日期'}
          normalize={(v: string) => (v ? v.toUpperCase().replace(/\s+/g, '') : v)}
          rules={[
            { required: !editing, message: '请填写身份证号' },
            { validator: async (_, v?: string) => { const p = v ? idNumberProblem(v) : null; if (p) throw new Error(p); } },
          ]}
        >
          <Input autoComplete="off" maxLength={18} inputMode="text" onChange={(e) => onIdNumber(e.target.value)} placeholder="18位，最后一位可能是X" />
        </Form.Item>
      </Col>
      <Col xs={24} sm={12}>
        <Form.Item label="性别" name={[...name, 'sex']} rules={[{ required: !editing, message: '请选择性别' }]}>
          <Radio.Group optionType="button" options={[{ value: 'M', label: '男' }, { value: 'F', label: '女' }]} />
        </Form.Item>
      </Col>
      <Col xs={24} sm={12}>
        <Form.Item label="出生日期" name={[...name, 'birthDate']} rules={[{ required: !editing, message: '请填写出生日期' }, { pattern: /^\d{4}-\d{2}-\d{2}$/, message: '日期格式应为 年-月-日' }]}>
          <Input type="date" max={new Date().toISOString().slice(0, 10)} />
        </Form.Item>
      </Col>
      <Col xs={24} sm={12}>
        <Form.Item label="联系电话（选填）" name={[...name, 'phone']} rules={[{ pattern: PHONE, message: '请填写11位手机号或带区号的固定电话' }]}>
          <Input inputMode="tel" autoComplete="off" maxLength={13} placeholder={editing ? '不需要更改时请留空' : undefined} />
        </Form.Item>
      </Col>
      <Col xs={24} sm={12}>
        <Form.Item label="是否在外" name={[...name, 'awayScope']}>
          <Select options={[{ value: '', label: '在家（本市内）' }, ...awayScopeOptions.map((o) => ({ value: o.value, label: `在外：${o.label}` }))]} />
        </Form.Item>
      </Col>
      {awayScope ? (
        <Col xs={24} sm={12}>
          <Form.Item label="在外地点" name={[...name, 'awayPlace']} rules={[{ max: 60, message: '最多60个字' }]}>
            <Input maxLength={60} placeholder="如：郑州市金水区" />
          </Form.Item>
        </Col>
      ) : null}
    </Row>
  );
}

/** Form values → request body (blank optional fields left out; 在家 → null). */
export function residentBody(v: ResidentFormValues) {
  return {
    name: v.name.trim(),
    relation: v.relation,
    sex: v.sex,
    birthDate: v.birthDate,
    idNumber: v.idNumber ? normalizeIdNumber(v.idNumber) : undefined,
    phone: v.phone?.trim() ? v.phone.trim() : undefined,
    awayScope: v.awayScope ? v.awayScope : null,
    awayPlace: v.awayScope && v.awayPlace?.trim() ? v.awayPlace.trim() : null,
  };
}
