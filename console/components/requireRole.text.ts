// Text shown on a page the signed-in role may not use.
export const requireRoleText = {
  en: {
    notAllowed: 'This page is for {role}s. Ask an admin if you need it.',
    admin: 'admin',
    operator: 'operator',
    viewer: 'viewer',
  },
  zh: {
    notAllowed: '这个页面仅限{role}使用。如有需要，请联系管理员。',
    admin: '管理员',
    operator: '操作员',
    viewer: '只读用户',
  },
};
