import type { ThemeConfig } from 'antd';

/**
 * Sized for phones and for users without training: 44 px controls (Apple HIG minimum tap target; WCAG 2.5.5 asks
 * 44 CSS px) and no text below 14 px.
 */
export const theme: ThemeConfig = {
  token: {
    colorPrimary: '#c8161d',
    colorLink: '#b0121a',
    fontSize: 14,
    fontSizeSM: 14,
    controlHeight: 44,
    controlHeightSM: 44,
    controlHeightLG: 48,
    borderRadius: 6,
  },
  components: {
    Layout: { headerPadding: '0 12px', headerHeight: 64, headerBg: '#b0121a', bodyBg: '#f5f5f5' },
    Tree: { titleHeight: 44, indentSize: 20 },
    // 16 px inputs stop iOS Safari from zooming the page on focus.
    Input: { inputFontSize: 16 },
    Breadcrumb: { fontSize: 14 },
  },
};
