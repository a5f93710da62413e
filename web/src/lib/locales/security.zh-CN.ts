/** 身份验证器（双因素认证）— Chinese (the reference shape for security.en.ts). */
export const securityZhCN = {
  title: '身份验证器（双因素认证）',
  menu: '双因素认证',
  mustEnrol: '按照本系统的安全策略（等保三级），管理员账号须先绑定身份验证器才能继续使用。',
  intro:
    '用手机上的身份验证器应用（如微信小程序“腾讯身份验证器”、Google Authenticator、Microsoft Authenticator）扫描二维码，然后输入它显示的 6 位动态码。',
  start: '生成绑定二维码',
  secret: '无法扫码时手动输入密钥',
  code: '6 位动态码',
  codeRequired: '请输入 6 位数字动态码',
  confirm: '完成绑定',
  enabled: '已绑定身份验证器。每次登录时需输入动态码。',
  enabledSuccess: '身份验证器已绑定',
  notEnabled: '尚未绑定身份验证器。绑定后，登录时除密码外还需输入手机上的动态码。',
  lostPhone: '更换或丢失手机时，请联系上级管理员在“账号”页面重置身份验证器。',
  loginCode: '身份验证器动态码',
  loginCodeHint: '打开手机上的身份验证器，输入经纬账号的 6 位动态码',
  resetAction: '重置验证器',
  resetConfirm: '解除“{{name}}”绑定的身份验证器？该账号下次登录时须重新绑定（若策略要求）。',
  resetDone: '已重置 {{username}} 的身份验证器',
};
