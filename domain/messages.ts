/** Error codes the API answers with, and their messages in both languages. */
export type Lang = 'zh-CN' | 'en';

export const ERROR_MESSAGES = {
  VALIDATION: { status: 400, 'zh-CN': '提交的内容有误，请检查标出的字段', en: 'The request has invalid fields' },
  BAD_REQUEST: { status: 400, 'zh-CN': '请求格式不正确', en: 'The request is malformed' },
  UNAUTHENTICATED: { status: 401, 'zh-CN': '请先登录', en: 'Please log in' },
  SESSION_EXPIRED: {
    status: 401,
    'zh-CN': '登录已超时，请重新登录',
    en: 'Your session has expired; please log in again',
  },
  BAD_CREDENTIALS: { status: 401, 'zh-CN': '用户名或密码错误', en: 'Wrong username or password' },
  ACCOUNT_LOCKED: {
    status: 423,
    'zh-CN': '连续登录失败次数过多，账号已锁定 15 分钟',
    en: 'Too many failed logins; the account is locked for 15 minutes',
  },
  ACCOUNT_INACTIVE: { status: 403, 'zh-CN': '账号已停用', en: 'The account is deactivated' },
  PASSWORD_CHANGE_REQUIRED: {
    status: 403,
    'zh-CN': '首次登录请先修改密码',
    en: 'You must change your password before continuing',
  },
  CSRF: {
    status: 403,
    'zh-CN': '安全校验失败，请刷新页面后重试',
    en: 'Security token missing or invalid; reload the page',
  },
  FORBIDDEN: { status: 403, 'zh-CN': '没有执行此操作的权限', en: 'You are not allowed to do this' },
  NOT_FOUND: { status: 404, 'zh-CN': '未找到该记录', en: 'Not found' },
  DISTRICT_NOT_FOUND: { status: 404, 'zh-CN': '区县不存在', en: 'Unknown district' },
  ORG_NOT_FOUND: { status: 404, 'zh-CN': '组织不存在或不在您的管辖范围内', en: 'Organisation not found' },
  PARENT_NOT_FOUND: {
    status: 404,
    'zh-CN': '上级组织不存在或不在您的管辖范围内',
    en: 'Parent organisation not found',
  },
  DUPLICATE_NAME: {
    status: 409,
    'zh-CN': '同一上级组织下已有同名组织',
    en: 'An organisation of that name already exists under this parent',
  },
  DUPLICATE_USERNAME: { status: 409, 'zh-CN': '用户名已被使用', en: 'That username is taken' },
  DUPLICATE_DISTRICT: { status: 409, 'zh-CN': '该区县代码已存在', en: 'A district with that code exists' },
  KIND_NOT_ALLOWED_HERE: {
    status: 422,
    'zh-CN': '该类型的组织不能设在所选上级组织之下',
    en: 'An organisation of this kind cannot sit under the chosen parent',
  },
  MOVE_INTO_DESCENDANT: {
    status: 422,
    'zh-CN': '不能把组织移动到它自己或它的下级组织之下',
    en: 'An organisation cannot be moved under itself or its own descendant',
  },
  ROOT_IMMUTABLE: {
    status: 422,
    'zh-CN': '团区委是组织树的根，不能移动或停用',
    en: 'The district committee is the root and cannot be moved or deactivated',
  },
  ORG_HAS_CHILDREN: {
    status: 409,
    'zh-CN': '该组织下还有在用的下级组织，请先停用或移走下级组织',
    en: 'The organisation still has active child organisations; deactivate or move them first',
  },
  ORG_HAS_ACCOUNTS: {
    status: 409,
    'zh-CN': '该组织还有在用的账号，请先停用或调走这些账号',
    en: 'The organisation still has active accounts; deactivate or move them first',
  },
  ORG_INACTIVE: { status: 422, 'zh-CN': '所选上级组织已停用', en: 'The chosen parent organisation is deactivated' },
  NOT_AN_ALLIANCE: {
    status: 422,
    'zh-CN': '只有团建联盟才有成员组织',
    en: 'Only an alliance has member organisations',
  },
  ROLE_NOT_ALLOWED: {
    status: 403,
    'zh-CN': '不能分配比自己权限更高的角色',
    en: 'You cannot assign a role wider than your own',
  },
  WRONG_PASSWORD: { status: 422, 'zh-CN': '当前密码不正确', en: 'The current password is wrong' },
  PASSWORD_POLICY: {
    status: 422,
    'zh-CN': '新密码不符合本系统的密码策略',
    en: 'The new password does not meet the password policy',
  },
  TOTP_REQUIRED: {
    status: 401,
    'zh-CN': '请输入身份验证器中的 6 位动态码',
    en: 'Enter the 6-digit code from your authenticator app',
  },
  TOTP_INVALID: { status: 401, 'zh-CN': '动态码不正确或已使用', en: 'The code is wrong or was used already' },
  TOTP_ENROLMENT_REQUIRED: {
    status: 403,
    'zh-CN': '管理员账号须先绑定身份验证器（双因素认证）',
    en: 'Administrator accounts must set up an authenticator app (two-factor) first',
  },
  TOTP_NOT_STARTED: { status: 409, 'zh-CN': '请先生成绑定二维码', en: 'Start the authenticator setup first' },
  TOTP_ALREADY_ENABLED: {
    status: 409,
    'zh-CN': '已绑定身份验证器；更换手机请联系管理员重置',
    en: 'An authenticator is already set up; to change phones ask an administrator to reset it',
  },
  SAME_PASSWORD: {
    status: 422,
    'zh-CN': '新密码不能与当前密码相同',
    en: 'The new password must differ from the current one',
  },
  GRID_NOT_FOUND: { status: 404, 'zh-CN': '网格不存在或不在您的管辖范围内', en: 'Grid not found' },
  DUPLICATE_GRID_CODE: {
    status: 409,
    'zh-CN': '本区县已有该网格编码',
    en: 'A grid with that code exists in this district',
  },
  GRID_ORG_KIND: {
    status: 422,
    'zh-CN': '网格的责任组织须为村团总支、社区团总支或网格团支部',
    en: 'A grid must be the responsibility of a village or community branch or a grid branch',
  },
  POLYGON_ON_CIRCLE: {
    status: 422,
    'zh-CN': '楼宇圈、行业圈、兴趣圈没有地理边界，不能设置多边形',
    en: 'Building, profession and interest circles have no boundary polygon',
  },
  GEOMETRY_INVALID: {
    status: 422,
    'zh-CN': '边界多边形无效（如自相交），请修正后重试',
    en: 'The boundary polygon is invalid (e.g. self-intersecting)',
  },
  GEOMETRY_EMPTY: { status: 422, 'zh-CN': '边界修复后面积为零', en: 'The boundary has no area once repaired' },
  COORD_NOT_FINITE: { status: 422, 'zh-CN': '坐标必须是数字', en: 'Coordinates must be numbers' },
  COORD_OUT_OF_RANGE: {
    status: 422,
    'zh-CN': '坐标超出范围：经度 -180～180，纬度 -90～90',
    en: 'Coordinate out of range: longitude -180..180, latitude -90..90',
  },
  COORD_ORDER_SWAPPED: {
    status: 422,
    'zh-CN': '坐标顺序似乎是［纬度, 经度］；GeoJSON 要求［经度, 纬度］',
    en: 'Coordinates look like [lat, lon]; GeoJSON needs [lon, lat]',
  },
  OUTSIDE_AREA: { status: 422, 'zh-CN': '边界不在本区县范围内', en: 'The boundary lies outside the district' },
  RING_NOT_CLOSED: {
    status: 422,
    'zh-CN': '多边形的环未闭合（首尾坐标须相同）',
    en: 'A polygon ring is not closed (first and last positions must be equal)',
  },
  RING_TOO_SHORT: {
    status: 422,
    'zh-CN': '多边形的环至少需要 4 个坐标点',
    en: 'A polygon ring needs at least 4 positions',
  },
  TOO_MANY_POINTS: { status: 413, 'zh-CN': '边界的坐标点过多', en: 'The boundary has too many points' },
  GRID_ACCOUNT_NOT_FOUND: {
    status: 422,
    'zh-CN': '所选账号不存在、已停用或不在您的管辖范围内',
    en: 'The chosen account does not exist, is deactivated or is outside your scope',
  },
  LINKED_ORG_NOT_ALLOWED: {
    status: 422,
    'zh-CN': '只有非层级组织（行业、两新、社会组织等）可以下沉到网格',
    en: 'Only non-hierarchical organisations can be linked to a grid',
  },
  ORG_HAS_GRIDS: {
    status: 409,
    'zh-CN': '该组织还负责在用的网格，请先停用或移交这些网格',
    en: 'The organisation is still responsible for active grids; deactivate or hand them over first',
  },
  IMPORT_INVALID: {
    status: 422,
    'zh-CN': '导入文件中有错误的要素，未导入任何网格',
    en: 'Some features of the file are invalid; nothing was imported',
  },
  TERRITORY_NOT_FOUND: {
    status: 404,
    'zh-CN': '该组织尚未绘制辖区范围',
    en: 'The organisation has no drawn territory',
  },
  ROUND_CLOSED: {
    status: 409,
    'zh-CN': '本轮测评已截止，不能再打分',
    en: 'This assessment round is closed for scoring',
  },
  PERSON_NOT_FOUND: { status: 404, 'zh-CN': '该青年不存在或不在您的管辖范围内', en: 'Person not found' },
  DUPLICATE_PERSON: {
    status: 409,
    'zh-CN': '该身份证号或手机号已登记在另一名青年名下',
    en: 'That ID number or mobile number belongs to another person',
  },
  AGE_OUT_OF_RANGE: {
    status: 422,
    'zh-CN': '年龄须在 14～35 周岁之间（不满 14 周岁须有监护人同意）',
    en: 'Youth must be 14 to 35 years old (under 14 only with a guardian’s consent)',
  },
  GUARDIAN_CONSENT_REQUIRED: {
    status: 422,
    'zh-CN': '不满 14 周岁，须记录监护人同意',
    en: 'Under 14: a guardian’s consent must be recorded',
  },
  BIRTH_DATE_MISMATCH: {
    status: 422,
    'zh-CN': '出生日期与身份证号中的出生日期不一致',
    en: 'The birth date differs from the one in the ID number',
  },
  GENDER_MISMATCH: {
    status: 422,
    'zh-CN': '性别与身份证号不一致',
    en: 'The gender differs from the one in the ID number',
  },
  PERSON_NOT_PENDING: { status: 409, 'zh-CN': '该青年不是待确认状态', en: 'The person is not awaiting confirmation' },
  PERSON_WITHDRAWN: {
    status: 409,
    'zh-CN': '该青年已撤回同意，不能再处理其信息',
    en: 'The person has withdrawn consent; the record can no longer be processed',
  },
  ORG_HAS_PEOPLE: {
    status: 409,
    'zh-CN': '该组织还有登记在册的青年，请先将他们转到其他团支部',
    en: 'The organisation still has registered people; move them to another branch first',
  },
  NOT_A_CIRCLE: {
    status: 422,
    'zh-CN': '所选的圈须为楼宇圈、行业圈或兴趣圈',
    en: 'A circle must be a building, profession or interest circle',
  },
  GRID_INACTIVE: { status: 422, 'zh-CN': '所选网格已停用', en: 'The chosen grid is deactivated' },
  REVIEW_NOT_FOUND: { status: 404, 'zh-CN': '该待核记录不存在', en: 'Review entry not found' },
  REVIEW_RESOLVED: { status: 409, 'zh-CN': '该待核记录已处理', en: 'The review entry is already resolved' },
  REVIEW_CANDIDATE: {
    status: 422,
    'zh-CN': '只能合并到与该记录冲突的青年',
    en: 'Only a person this entry collides with can receive it',
  },
  KEY_YOUTH_NOT_FOUND: { status: 404, 'zh-CN': '重点青少年档案中没有该青年', en: 'Not in the key-youth archive' },
  CADRE_NOT_FOUND: {
    status: 404,
    'zh-CN': '该团干部不存在或不在您的管辖范围内',
    en: 'Cadre not found',
  },
  CONTACT_LIMIT: {
    status: 409,
    'zh-CN': '每名团干部直接联系的青年不超过 100 名（1+100）',
    en: 'A cadre contacts at most 100 youth directly (1+100)',
  },
  NOT_A_CONTACT: {
    status: 422,
    'zh-CN': '该青年不在这名团干部的联系名单中',
    en: 'This person is not on the cadre’s contact list',
  },
  VISIT_NOT_FOUND: { status: 404, 'zh-CN': '该走访记录不存在或不在您的管辖范围内', en: 'Visit not found' },
  REGISTRATION_TOKEN_NOT_FOUND: { status: 404, 'zh-CN': '该报到二维码不存在', en: 'Registration code not found' },
  QR_TOKEN_INVALID: {
    status: 404,
    'zh-CN': '二维码无效，请向网格长索取新的报到二维码',
    en: 'This code is not valid; ask your grid leader for a new one',
  },
  QR_TOKEN_EXPIRED: {
    status: 410,
    'zh-CN': '该报到二维码已过期，请向网格长索取新的二维码',
    en: 'This registration code has expired; ask your grid leader for a new one',
  },
  QR_TOKEN_REVOKED: {
    status: 410,
    'zh-CN': '该报到二维码已停用，请向网格长索取新的二维码',
    en: 'This registration code has been withdrawn; ask your grid leader for a new one',
  },
  // ── captcha and the QR page's extras (issue 4) ──
  CAPTCHA_REQUIRED: {
    status: 429,
    'zh-CN': '尝试次数较多，请输入图形验证码后再提交',
    en: 'Too many attempts; enter the characters in the picture and submit again',
  },
  CAPTCHA_INVALID: {
    status: 422,
    'zh-CN': '图形验证码不正确或已过期，请看新的图片重新输入',
    en: 'The picture code is wrong or has expired; enter the new one',
  },
  QR_TOKEN_BUSY: {
    status: 429,
    'zh-CN': '通过该二维码报到的人数过多，请稍等一分钟再提交',
    en: 'Too many people are registering with this code right now; try again in a minute',
  },
  QR_GRID_NOT_AVAILABLE: {
    status: 404,
    'zh-CN': '所选网格不属于该二维码的组织，请重新选择',
    en: 'The chosen grid does not belong to this code’s organisation',
  },
  QR_PERSON_NOT_FOUND: {
    status: 404,
    'zh-CN': '没有找到与该手机号和身份信息一致的登记，请填写报到表单',
    en: 'No registration matches this phone and identity; please fill in the form',
  },
  REGISTRATION_REPLAYED: {
    status: 409,
    'zh-CN': '该报到表单已提交过，请勿重复提交',
    en: 'This form has already been submitted',
  },
  CONSENT_VERSION_OUTDATED: {
    status: 409,
    'zh-CN': '隐私告知已更新，请刷新页面阅读后重新提交',
    en: 'The privacy notice has changed; reload the page, read it and submit again',
  },
  VENUE_NOT_FOUND: { status: 404, 'zh-CN': '阵地不存在或不在您的管辖范围内', en: 'Venue not found' },
  VENUE_INACTIVE: {
    status: 422,
    'zh-CN': '该阵地已停用，不能预订',
    en: 'The venue is deactivated and cannot be booked',
  },
  BOOKING_NOT_FOUND: { status: 404, 'zh-CN': '预订不存在或不在您的管辖范围内', en: 'Booking not found' },
  BOOKING_CONFLICT: {
    status: 409,
    'zh-CN': '该时段已被预订（或正在等待审批），请选择其他时间',
    en: 'That time slot is already booked (or awaiting approval); choose another time',
  },
  BOOKING_OUTSIDE_HOURS: {
    status: 422,
    'zh-CN': '所选时段不在阵地的开放时间内',
    en: 'The chosen time is outside the venue’s opening hours',
  },
  BOOKING_TOO_FAR_AHEAD: {
    status: 422,
    'zh-CN': '超出该阵地可提前预订的天数',
    en: 'That is further ahead than the venue can be booked',
  },
  BOOKING_IN_PAST: { status: 422, 'zh-CN': '不能预订已经过去的时段', en: 'A time in the past cannot be booked' },
  BOOKING_TOO_LONG: {
    status: 422,
    'zh-CN': '超过该阵地单次预订的最长时长',
    en: 'Longer than the venue allows for one booking',
  },
  BOOKING_NOT_ALLOWED: {
    status: 403,
    'zh-CN': '该阵地只接受所属组织及其下级组织的预订',
    en: 'Only the owning organisation and its sub-organisations may book this venue',
  },
  BOOKING_STATE: {
    status: 409,
    'zh-CN': '该预订当前的状态不能执行此操作',
    en: 'The booking’s current status does not allow this',
  },
  NOTICE_NOT_FOUND: { status: 404, 'zh-CN': '通知不存在或不在您的管辖范围内', en: 'Notice not found' },
  NOTICE_TARGET_NOT_FOUND: { status: 404, 'zh-CN': '该回执不存在或不在您的管辖范围内', en: 'Receipt not found' },
  NOTICE_TARGET_EMPTY: {
    status: 422,
    'zh-CN': '发送范围内没有可送达的组织或网格，未发送',
    en: 'The chosen range reaches no organisation or grid; nothing was sent',
  },
  NOTICE_NOT_RESPONSIBLE: {
    status: 403,
    'zh-CN': '只有该组织（网格）的负责人或上级管理员可以确认收到',
    en: 'Only the responsible cadre of this organisation or grid, or an admin above, can acknowledge',
  },
  NOTICE_REPLY_INVALID: { status: 422, 'zh-CN': '回执内容不符合要求', en: 'The reply does not fit what was asked' },
  NOTICE_REPLY_NOT_EXPECTED: { status: 422, 'zh-CN': '该通知不需要回执内容', en: 'This notice asks for no reply' },
  NOTICE_REPLY_NUMBER: { status: 422, 'zh-CN': '须填写数字', en: 'Must be a number' },
  NOTICE_REPLY_UNKNOWN_FIELD: { status: 422, 'zh-CN': '回执中没有这一项', en: 'The reply form has no such field' },
  NOTICE_ATTACHMENT_TOO_LARGE: {
    status: 413,
    'zh-CN': '附件过大（每个不超过 2 MB）',
    en: 'The attachment is too large (2 MB each at most)',
  },
  NOTICE_SUPERSEDED: {
    status: 409,
    'zh-CN': '该通知已被更正，请在最新的更正上再更正',
    en: 'This notice has already been corrected; correct the latest version',
  },
  ATTACHMENT_NOT_FOUND: { status: 404, 'zh-CN': '附件不存在', en: 'Attachment not found' },
  TOWER_GROUP_NOT_FOUND: { status: 404, 'zh-CN': '该塔群不存在或不在您的管辖范围内', en: 'Tower group not found' },
  DUPLICATE_TOWER_GROUP: {
    status: 409,
    'zh-CN': '该组织（网格）已登记了同一渠道的群',
    en: 'This organisation or grid already has a group on that channel',
  },
  TOWER_ACCOUNT_NOT_FOUND: {
    status: 422,
    'zh-CN': '所选账号不存在、已停用或不在您的管辖范围内',
    en: 'The chosen account does not exist, is deactivated or is outside your scope',
  },
  LEDGER_HEADER: {
    status: 400,
    'zh-CN': '台账表头与导入模板不一致',
    en: 'The ledger header does not match the import template',
  },
  LEDGER_EMPTY: { status: 400, 'zh-CN': '台账中没有数据行', en: 'The ledger has no data rows' },
  LEDGER_TOO_MANY_ROWS: {
    status: 413,
    'zh-CN': '单个台账最多 200,000 行，请按镇街拆分后导入',
    en: 'A ledger may hold at most 200,000 rows; split it by town',
  },
  LEDGER_UNREADABLE: {
    status: 400,
    'zh-CN': '文件无法读取：请上传 .xlsx 或 .csv 格式的台账（.xls 请先另存为 .xlsx）',
    en: 'The file cannot be read; upload an .xlsx or .csv ledger (save .xls as .xlsx first)',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    'zh-CN': '不支持的文件类型，请上传 .xlsx 或 .csv',
    en: 'Unsupported file type; upload .xlsx or .csv',
  },
  FUND_ACCOUNT_NOT_FOUND: {
    status: 404,
    'zh-CN': '公积金账户不存在或不在您的管辖范围内',
    en: 'Provident-fund account not found',
  },
  DUPLICATE_FUND_ACCOUNT: {
    status: 409,
    'zh-CN': '该组织本年度已有公积金账户',
    en: 'The organisation already has an account for that year',
  },
  FUND_ORG_KIND: {
    status: 422,
    'zh-CN': '公积金账户须属于村、社区团总支或两新组织团委',
    en: 'A provident-fund account belongs to a village or community branch or a two-new committee',
  },
  FUND_LIMIT_EXCEEDED: {
    status: 422,
    'zh-CN': '超出可提取额度（存入金额 × 提取倍数）',
    en: 'More than the withdrawal limit (deposits × multiplier)',
  },
  WITHDRAWAL_NOT_FOUND: {
    status: 404,
    'zh-CN': '提取申请不存在或不在您的管辖范围内',
    en: 'Withdrawal request not found',
  },
  WITHDRAWAL_STATE: {
    status: 409,
    'zh-CN': '该提取申请已处理',
    en: 'The withdrawal request has already been decided',
  },
  FUND_ENTRY_NOT_FOUND: { status: 404, 'zh-CN': '账目不存在', en: 'Ledger entry not found' },
  ENTRY_ALREADY_REVERSED: {
    status: 409,
    'zh-CN': '该笔账目已冲正，不能重复冲正',
    en: 'The entry has already been reversed',
  },
  ENTRY_NOT_REVERSIBLE: {
    status: 422,
    'zh-CN': '冲正记录本身不能再冲正',
    en: 'A reversing entry cannot itself be reversed',
  },
  // Rankings, the 1000-point scheme and awards (issue 9) ----------------------------------------
  ASSESSMENT_SET_IN_USE: {
    status: 409,
    'zh-CN': '该指标体系已用于测评，不能修改；请复制后再修改',
    en: 'The indicator set is used by a round; copy it and edit the copy',
  },
  // Self-assessment and district review (issue 9, 0018) -----------------------------------------
  ASSESSMENT_MODE: {
    status: 409,
    'zh-CN': '该测评轮次的方式不支持此操作（区级评分或自评+审核）',
    en: 'The round’s mode does not allow this (district scoring or self-assessment with review)',
  },
  ASSESSMENT_SELF_STATE: {
    status: 409,
    'zh-CN': '该组织自评的当前状态不允许此操作',
    en: 'The organisation’s self-assessment is not in a state that allows this',
  },
  ASSESSMENT_SELF_INCOMPLETE: {
    status: 422,
    'zh-CN': '还有题项未自评，全部打分后才能提交',
    en: 'Some items have no self score yet; score every item before submitting',
  },
  ASSESSMENT_REVIEW_INCOMPLETE: {
    status: 422,
    'zh-CN': '审核须逐项确认或调整全部题项',
    en: 'A review accepts or adjusts every item',
  },
  RANKING_SCHEME_NOT_FOUND: { status: 404, 'zh-CN': '排行方案不存在', en: 'Ranking scheme not found' },
  RANKING_PERIOD_NOT_FOUND: { status: 404, 'zh-CN': '排行期次不存在', en: 'Ranking period not found' },
  RANKING_PERIOD_EXISTS: { status: 409, 'zh-CN': '该方案已有这一期', en: 'The scheme already has this period' },
  RANKING_PUBLISHED: {
    status: 409,
    'zh-CN': '该期排行已发布，不能再修改',
    en: 'The period has been published and can no longer change',
  },
  RANKING_POINTS_SUM: {
    status: 422,
    'zh-CN': '千分制各类别满分之和必须为 1000 分',
    en: 'The maximum points of a 1000-point scheme must add up to 1,000',
  },
  RANKING_METRIC_UNKNOWN: { status: 422, 'zh-CN': '没有这一计算指标', en: 'No such computed metric' },
  RANKING_ITEM_UNKNOWN: { status: 422, 'zh-CN': '方案中没有这一评分项', en: 'The scheme has no such item' },
  RANKING_ITEM_NOT_MANUAL: {
    status: 422,
    'zh-CN': '该项由平台数据计算，不能手工打分',
    en: 'This item is computed from platform data and cannot be scored by hand',
  },
  RANKING_POINTS_OVER_MAX: { status: 422, 'zh-CN': '得分超过该项满分', en: 'The points exceed the item’s maximum' },
  RANKING_ORG_NOT_RANKED: {
    status: 422,
    'zh-CN': '该组织不在本方案的排行对象中',
    en: 'The organisation is not ranked by this scheme',
  },
  AWARD_KIND_NOT_FOUND: { status: 404, 'zh-CN': '评优类别不存在', en: 'Award kind not found' },
  AWARD_KIND_EXISTS: { status: 409, 'zh-CN': '已有同名评优类别', en: 'An award kind with this name exists' },
  AWARD_NOMINATION_NOT_FOUND: { status: 404, 'zh-CN': '推荐不存在或不在您的管辖范围内', en: 'Nomination not found' },
  AWARD_NOMINATION_STATE: { status: 409, 'zh-CN': '该推荐已审核', en: 'The nomination has already been reviewed' },
  AWARD_PUBLISHED: {
    status: 409,
    'zh-CN': '该类别本年度结果已发布',
    en: 'The results of this kind and year have been published',
  },
  ORDER_NOT_FOUND: { status: 404, 'zh-CN': '订单不存在或不在您的管辖范围内', en: 'Order not found' },
  ORDER_STATE: {
    status: 409,
    'zh-CN': '订单当前状态下不能执行此操作',
    en: 'The order is not in a state that allows this',
  },
  ORDER_ALREADY_RATED: { status: 409, 'zh-CN': '该订单已评价，不能重复评价', en: 'The order has already been rated' },
  ORDER_NOT_CLASSIFIED: {
    status: 422,
    'zh-CN': '请先为订单分类再派单',
    en: 'Classify the order before dispatching it',
  },
  ORDER_DISPATCH_LOOP: {
    status: 422,
    'zh-CN': '不能再派给该组织（已退回或派单次数过多）',
    en: 'The order cannot go to this organisation again (it declined, or too many dispatches)',
  },
  ORDER_ACCESS_DENIED: {
    status: 403,
    'zh-CN': '验证信息不正确，无法查看或评价该订单',
    en: 'The proof does not match this order',
  },
  ORDER_REPLAYED: {
    status: 409,
    'zh-CN': '该需求已经提交过，请勿重复提交',
    en: 'This request was already submitted',
  },
  MENU_ITEM_NOT_FOUND: { status: 404, 'zh-CN': '服务项目不存在', en: 'Service not found' },
  ORDER_REVIEW_NOT_FOUND: { status: 404, 'zh-CN': '复核任务不存在', en: 'Review task not found' },
  ORDER_REVIEW_CLOSED: { status: 409, 'zh-CN': '该复核任务已办结', en: 'The review task is already closed' },
  ORDER_NOT_GROUP: {
    status: 409,
    'zh-CN': '该订单不是集体服务或尚未登记参与人数，不能现场评价',
    en: 'The order is not a group service with recorded participants',
  },
  ORDER_PARTICIPANTS_RATED: {
    status: 409,
    'zh-CN': '评价人数已达实际参与人数',
    en: 'As many participants as took part have already rated',
  },
  ORDER_PARTICIPANT_RATED: {
    status: 409,
    'zh-CN': '该手机号已评价过此次服务',
    en: 'This phone has already rated the service',
  },
  ORDERS_TOO_MANY: {
    status: 429,
    'zh-CN': '今天提交的需求过多，请明天再试或联系服务点',
    en: 'Too many requests today; try tomorrow or contact a service point',
  },
  OPEN311_KEY_INVALID: {
    status: 403,
    'zh-CN': 'api_key 无效或已停用',
    en: 'The api_key is invalid or deactivated',
  },
  OPEN311_KEY_REQUIRED: {
    status: 401,
    'zh-CN': '列出全部诉求需要 api_key；公开查询请给出 service_request_id',
    en: 'Listing requests needs an api_key; without one name the service_request_id',
  },
  OPEN311_SERVICE_NOT_FOUND: { status: 404, 'zh-CN': '服务代码不存在', en: 'Unknown service_code' },
  OPEN311_CLIENT_NOT_FOUND: { status: 404, 'zh-CN': '接入系统不存在', en: 'Open311 client not found' },
  SMS_CODE_INVALID: { status: 422, 'zh-CN': '验证码不正确', en: 'The verification code is wrong' },
  SMS_CODE_EXPIRED: {
    status: 422,
    'zh-CN': '验证码已过期或未发送，请重新获取',
    en: 'The verification code has expired or was never sent; request a new one',
  },
  SMS_CODE_LOCKED: {
    status: 429,
    'zh-CN': '验证码错误次数过多，请重新获取',
    en: 'Too many wrong codes; request a new one',
  },
  SMS_TOO_FREQUENT: {
    status: 429,
    'zh-CN': '验证码发送过于频繁，请稍后再试',
    en: 'Codes are being requested too often; try again later',
  },
  // ── activities 活动 ──
  ACTIVITY_CATEGORY_NOT_FOUND: { status: 404, 'zh-CN': '活动类别不存在', en: 'Activity category not found' },
  ACTIVITY_CATEGORY_DUPLICATE: { status: 409, 'zh-CN': '已有同名的活动类别', en: 'A category of that name exists' },
  THEME_NOT_FOUND: { status: 404, 'zh-CN': '征集主题不存在或不在您的管辖范围内', en: 'Theme not found' },
  THEME_CLOSED: { status: 409, 'zh-CN': '该主题已截止征集', en: 'The solicitation of this theme is closed' },
  THEME_STATE: { status: 409, 'zh-CN': '主题当前状态不允许此操作', en: 'The theme’s state does not allow this' },
  THEME_NO_SHORTLIST: {
    status: 422,
    'zh-CN': '请先入围至少一条建议再发布主题',
    en: 'Shortlist at least one idea before publishing the theme',
  },
  IDEA_NOT_FOUND: { status: 404, 'zh-CN': '建议不存在或不在您的管辖范围内', en: 'Idea not found' },
  PLAN_NOT_FOUND: { status: 404, 'zh-CN': '活动方案不存在或不在您的管辖范围内', en: 'Plan not found' },
  PLAN_STATE: {
    status: 409,
    'zh-CN': '活动方案当前状态不允许此操作',
    en: 'The plan’s current state does not allow this',
  },
  PLAN_APPROVAL_LEVEL: {
    status: 403,
    'zh-CN': '活动方案须由上一级组织或团区委审批',
    en: 'A plan is approved by the level above (or the district)',
  },
  COMMENT_NOT_FOUND: { status: 404, 'zh-CN': '意见不存在或不在您的管辖范围内', en: 'Comment not found' },
  ACTIVITY_NOT_FOUND: { status: 404, 'zh-CN': '活动不存在或不在您的管辖范围内', en: 'Activity not found' },
  ACTIVITY_STATE: {
    status: 409,
    'zh-CN': '活动当前状态不允许此操作',
    en: 'The activity’s current state does not allow this',
  },
  ACTIVITY_CAPACITY_BELOW_ADMITTED: {
    status: 409,
    'zh-CN': '名额不能少于已录取人数',
    en: 'The capacity cannot be below the number already admitted',
  },
  SIGNUP_CLOSED: { status: 409, 'zh-CN': '不在报名时间内', en: 'Sign-up is not open' },
  SIGNUP_DUPLICATE: { status: 409, 'zh-CN': '该手机号已报名', en: 'This phone number has already signed up' },
  SIGNUP_NOT_FOUND: { status: 404, 'zh-CN': '未找到报名记录', en: 'No sign-up found' },
  CHECKIN_OUTSIDE_WINDOW: { status: 409, 'zh-CN': '不在签到时间内', en: 'Check-in is not open now' },
  CHECKIN_DUPLICATE: { status: 409, 'zh-CN': '已经签到过了', en: 'Already checked in' },
  CHECKIN_NOT_ADMITTED: {
    status: 409,
    'zh-CN': '未录取（候补中或已取消），不能签到',
    en: 'Not admitted (waiting list or cancelled); cannot check in',
  },
  RATING_NOT_ALLOWED: {
    status: 409,
    'zh-CN': '只有签到参加的青年才能评分',
    en: 'Only participants who checked in can rate',
  },
  RATING_DUPLICATE: { status: 409, 'zh-CN': '已经评过分了', en: 'Already rated' },
  CALL_NOT_FOUND: { status: 404, 'zh-CN': '召集令不存在或不在您的管辖范围内', en: 'Call not found' },
  PLAN_APPROVAL_TOWN: {
    status: 403,
    'zh-CN': '本区设定活动方案由镇（街道）团委审批：须由方案所属镇街团委或团区委审批',
    en: 'In this district plans are approved by the town committee: the plan’s town committee or the district decides',
  },
  PLAN_APPROVAL_DISTRICT: {
    status: 403,
    'zh-CN': '本区设定活动方案由团区委审批',
    en: 'In this district plans are approved by the district committee',
  },
  INBOX_LINK_INVALID: {
    status: 404,
    'zh-CN': '链接无效，请打开短信中的完整链接',
    en: 'This link is not valid; open the full link from your text message',
  },
  INBOX_LINK_EXPIRED: {
    status: 410,
    'zh-CN': '该链接已过期或已停用，下一条召集令短信会带来新链接',
    en: 'This link has expired or was withdrawn; the next call’s text message brings a new one',
  },
  TEAM_NOT_FOUND: { status: 404, 'zh-CN': '服务团队不存在或不在您的管辖范围内', en: 'Service team not found' },
  // Photos (activity summaries, service orders; migration 0017) ---------------------------------
  PHOTO_NOT_IMAGE: {
    status: 400,
    'zh-CN': '不是受支持的图片，只能上传 JPEG、PNG 或 WebP 照片',
    en: 'Not a supported image; upload a JPEG, PNG or WebP photo',
  },
  PHOTO_DAMAGED: {
    status: 400,
    'zh-CN': '图片文件已损坏或不完整，请重新选择',
    en: 'The image file is damaged or incomplete; choose it again',
  },
  PHOTO_DIMENSIONS: {
    status: 400,
    'zh-CN': '图片尺寸过大（不超过 4000 万像素）',
    en: 'The image has too many pixels (40 megapixels at most)',
  },
  PHOTO_TOO_LARGE: {
    status: 413,
    'zh-CN': '图片过大（每张不超过 5 MB）',
    en: 'The photo is too large (5 MB each at most)',
  },
  PHOTO_NOT_FOUND: { status: 404, 'zh-CN': '照片不存在', en: 'Photo not found' },
  PAYLOAD_TOO_LARGE: { status: 413, 'zh-CN': '提交的内容过大', en: 'The request is too large' },
  RATE_LIMITED: { status: 429, 'zh-CN': '请求过于频繁，请稍后再试', en: 'Too many requests; try again later' },
  INTERNAL: { status: 500, 'zh-CN': '服务器内部错误，请稍后再试', en: 'Internal server error' },
} as const;

export type ErrorCode = keyof typeof ERROR_MESSAGES;

export function errorMessage(code: ErrorCode, lang: Lang): string {
  return ERROR_MESSAGES[code][lang];
}

/** Picks the response language from an Accept-Language header: English only when asked for first. */
export function pickLang(acceptLanguage: string | undefined): Lang {
  if (!acceptLanguage) return 'zh-CN';
  const first = acceptLanguage.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh-CN';
}

/** A validation issue reduced to what a message needs (shape of a zod issue). */
export type FieldIssue = {
  code: string;
  message?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  expected?: string;
  origin?: string;
  keys?: string[];
  values?: unknown[];
  format?: string;
  received?: unknown;
};

const CUSTOM_MESSAGES: Record<string, Record<Lang, string>> = {
  'password.letters': { 'zh-CN': '密码须同时包含字母和数字', en: 'The password needs letters and digits' },
  'password.digits': { 'zh-CN': '密码须同时包含字母和数字', en: 'The password needs letters and digits' },
  'phone.invalid': { 'zh-CN': '请填写正确的 11 位手机号', en: 'Enter a valid 11-digit mainland mobile number' },
  'idNumber.format': {
    'zh-CN': '身份证号须为 18 位（最后一位可为 X）',
    en: 'An ID number has 18 characters (the last may be X)',
  },
  'idNumber.birthDate': { 'zh-CN': '身份证号中的出生日期不存在', en: 'The birth date in the ID number is impossible' },
  'idNumber.checksum': { 'zh-CN': '身份证号校验位不正确，请核对', en: 'The ID number’s check digit is wrong' },
  'idNumber.region': { 'zh-CN': '身份证号的地区代码不正确', en: 'The ID number’s region code is wrong' },
  'date.invalid': {
    'zh-CN': '日期无效（格式 2000-01-31，不能晚于今天）',
    en: 'Invalid date (2000-01-31, not in the future)',
  },
  'person.identifierRequired': {
    'zh-CN': '手机号和身份证号至少填写一项',
    en: 'Give a mobile number or an ID number',
  },
  'person.birthDateRequired': { 'zh-CN': '请填写出生日期或身份证号', en: 'Give a birth date or an ID number' },
  'person.placeRequired': { 'zh-CN': '请选择所在网格或团支部', en: 'Choose a home grid or a League branch' },
  'qr.gridOrOrg': { 'zh-CN': '请选择一个网格或一个组织', en: 'Choose either a grid or an organisation' },
  'venue.clock': { 'zh-CN': '时间格式为 HH:MM（00:00～24:00）', en: 'Use HH:MM (00:00 to 24:00)' },
  'venue.hoursOrder': { 'zh-CN': '结束时间须晚于开始时间', en: 'The end must be after the start' },
  'venue.hoursOverlap': { 'zh-CN': '同一天的开放时段不能重叠', en: 'Opening intervals of one day must not overlap' },
  'venue.phone': { 'zh-CN': '电话只能包含数字、+、- 和括号', en: 'Use digits, +, - and brackets only' },
  'venue.rangePair': { 'zh-CN': '开始和结束时间须同时填写', en: 'Give both the start and the end' },
  'venue.rangeOrder': { 'zh-CN': '结束时间须晚于开始时间', en: 'The end must be after the start' },
  'venue.rangeTooLong': { 'zh-CN': '时间范围过长', en: 'The range is too long' },
  'venue.rangeRequired': { 'zh-CN': '请填写时间范围', en: 'Give a time range' },
  'activity.rangeOrder': { 'zh-CN': '结束时间须晚于开始时间', en: 'The end must be after the start' },
  'activity.rangeTooLong': { 'zh-CN': '时间范围过长（最长 3 年）', en: 'The range is too long (3 years at most)' },
  'activity.reasonRequired': {
    'zh-CN': '未采纳的意见须说明理由',
    en: 'Give a reason when a suggestion is not adopted',
  },
  'tower.orgOrGrid': { 'zh-CN': '请选择一个组织或一个网格', en: 'Choose either an organisation or a grid' },
  'attachment.base64': { 'zh-CN': '附件内容须为 base64 编码', en: 'Attachment content must be base64' },
  'photo.base64': { 'zh-CN': '照片内容须为 base64 编码', en: 'Photo content must be base64' },
  'sms.code': { 'zh-CN': '验证码为 6 位数字', en: 'The code has 6 digits' },
  'order.trackingNo': { 'zh-CN': '受理编号格式不正确', en: 'Invalid tracking number' },
  'order.deadlineOrder': {
    'zh-CN': '办结时限不能短于响应时限',
    en: 'The completion deadline cannot be shorter than the response deadline',
  },
  'open311.latLong': { 'zh-CN': 'lat 与 long 须同时填写', en: 'Give both lat and long' },
  'order.proofRequired': {
    'zh-CN': '请填写手机号后四位或短信验证码',
    en: 'Give the last four digits of the phone or an SMS code',
  },
  'password.djbhLength': { 'zh-CN': '密码至少 8 个字符', en: 'At least 8 characters' },
  'password.djbhClasses': {
    'zh-CN': '密码须包含大写字母、小写字母、数字、符号中的至少三类',
    en: 'Use at least three of: upper-case letters, lower-case letters, digits, symbols',
  },
  'password.modernLength': { 'zh-CN': '密码至少 12 个字符', en: 'At least 12 characters' },
  'password.common': {
    'zh-CN': '这是常见密码，容易被猜中，请换一个',
    en: 'This is a common password that is easy to guess',
  },
  'password.username': { 'zh-CN': '密码不能包含用户名', en: 'The password must not contain the username' },
  'totp.code': { 'zh-CN': '动态码为 6 位数字', en: 'The code has 6 digits' },
  'username.chars': {
    'zh-CN': '用户名只能包含字母、数字、点、下划线和连字符',
    en: 'Use only letters, digits, dot, underscore and hyphen',
  },
};

/** The sentence of an error code or a custom issue code, if it has one. */
export function codeMessage(code: string, lang: Lang): string | undefined {
  if (code in ERROR_MESSAGES) return ERROR_MESSAGES[code as ErrorCode][lang];
  return CUSTOM_MESSAGES[code]?.[lang];
}

/** Turns one validation issue into a sentence in the user's language. */
export function fieldIssueMessage(issue: FieldIssue, lang: Lang): string {
  const zh = lang === 'zh-CN';
  if (issue.message && CUSTOM_MESSAGES[issue.message]) return CUSTOM_MESSAGES[issue.message][lang];
  const isString = issue.origin === 'string';
  switch (issue.code) {
    case 'invalid_type':
      if (issue.received === undefined || /received undefined/.test(issue.message ?? ''))
        return zh ? '必填' : 'Required';
      return zh ? `类型不正确，应为${typeName(issue.expected, lang)}` : `Expected ${issue.expected}`;
    case 'too_small':
      if (isString && Number(issue.minimum) === 1) return zh ? '不能为空' : 'Must not be empty';
      return isString
        ? zh
          ? `至少 ${issue.minimum} 个字符`
          : `At least ${issue.minimum} characters`
        : zh
          ? `不能小于 ${issue.minimum}`
          : `Must be at least ${issue.minimum}`;
    case 'too_big':
      return isString
        ? zh
          ? `不能超过 ${issue.maximum} 个字符`
          : `At most ${issue.maximum} characters`
        : zh
          ? `不能大于 ${issue.maximum}`
          : `Must be at most ${issue.maximum}`;
    case 'invalid_value':
      return zh
        ? `取值无效，可选：${(issue.values ?? []).join('、')}`
        : `Invalid value; one of: ${(issue.values ?? []).join(', ')}`;
    case 'unrecognized_keys':
      return zh ? `不认识的字段：${(issue.keys ?? []).join('、')}` : `Unknown fields: ${(issue.keys ?? []).join(', ')}`;
    case 'invalid_format':
      return zh ? '格式不正确' : 'Invalid format';
    default:
      return zh ? '取值无效' : 'Invalid value';
  }
}

function typeName(expected: string | undefined, lang: Lang): string {
  if (lang === 'en') return expected ?? '';
  const names: Record<string, string> = {
    string: '文本',
    number: '数字',
    boolean: '是/否',
    object: '对象',
    array: '列表',
  };
  return names[expected ?? ''] ?? expected ?? '';
}
