import type { ThemeConfig } from 'antd';

/**
 * Text colours that reach WCAG AA (4.5:1) on white and on the #f5f5f5 page background. antd's defaults do not:
 * secondary/description text rgba(0,0,0,.45) is 3.36:1 (breadcrumbs 3.29:1 on the page), placeholders
 * rgba(0,0,0,.25) 1.83:1, the danger button's #ff4d4f 3.26:1 (axe color-contrast, issue 8).
 */
const SECONDARY_TEXT = '#595959'; // 7.0:1 on white, 6.4:1 on #f5f5f5
const PLACEHOLDER_TEXT = '#6e6e6e'; // 5.1:1 on white (inputs are white)

// Preset-coloured tags (color="orange" …) get readable text in global.css: antd 6 does not carry palette tokens
// (orange7 …) from here into the Tag's CSS variables.

/**
 * Sized for phones and for users without training: 44 px controls (Apple HIG minimum tap target; WCAG 2.5.5 asks
 * 44 CSS px) and no text below 14 px.
 */
export const theme: ThemeConfig = {
  // Styles from antd/dist/antd.css, not generated at run time (see app-root.tsx).
  zeroRuntime: true,
  token: {
    colorPrimary: '#c8161d',
    colorLink: '#b0121a',
    // antd's red-7: danger buttons and error text at 5.1:1 on white.
    colorError: '#cf1322',
    colorTextSecondary: SECONDARY_TEXT,
    colorTextTertiary: SECONDARY_TEXT,
    colorTextDescription: SECONDARY_TEXT,
    colorTextPlaceholder: PLACEHOLDER_TEXT,
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
    // A finished bar writes "100%" in colorSuccess (#52c41a, 2.3:1 on white); antd's green-8 reads at 5.4:1.
    Progress: { colorSuccess: '#237804' },
    // The main menu (side menu, phone drawer): 44 px rows like every other tap target.
    Menu: { itemHeight: 44 },
    Breadcrumb: { fontSize: 14, itemColor: SECONDARY_TEXT, separatorColor: SECONDARY_TEXT, linkColor: SECONDARY_TEXT },
  },
};
