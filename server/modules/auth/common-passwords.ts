/**
 * Common passwords refused by the `modern` profile (lower-cased). Compiled from the published top lists
 * (SplashData/NordPass yearly lists, the 2011 CSDN leak's top entries, the Have I Been Pwned top list) plus
 * pinyin and keyboard patterns common here. `password-policy.ts` also refuses these words with a year or a
 * few digits/symbols appended. Short entries still matter: the base rule lets some through at 8–11 chars,
 * and the 12-character rule does not stop "password1234" or "qwertyuiop12".
 */
const LIST = `
123456 123456789 12345678 1234567890 12345 1234567 123123 111111 000000 654321 666666 888888 112233 121212
123321 123654 147258 147258369 159357 159753 987654321 1qaz2wsx 1q2w3e4r 1q2w3e4r5t 1qazxsw2 q1w2e3r4 zaq12wsx
qwerty qwertyuiop qwerty123 qwe123 qweasd qweasdzxc asdfgh asdfghjkl zxcvbnm zxcvbn asd123 abc123 abcd1234
aa123456 a123456 a12345678 a123456789 abc123456 qq123456 123qwe 123abc password password1 password123 passw0rd
p@ssw0rd p@ssword pass1234 admin admin123 admin888 administrator root root123 test test123 guest welcome welcome1
letmein monkey dragon football baseball master shadow sunshine princess iloveyou trustno1 superman batman michael
jennifer hunter ranger charlie starwars whatever freedom computer internet login changeme secret default
iloveyou1 loveyou lovely woaini woaini1314 woaini520 wo123456 aini1314 5201314 1314520 520520 521521 7758521
zhang123 wang123 li123456 liu123 chen123 zhangsan lisi wangwu xiaoming nihao nihao123 ceshi ceshi123 mima mima123
mima1234 kouling zhongguo china chinese beijing shanghai hangzhou zhejiang shaoxing keqiao jingwei gongqingtuan
tuanwei qingnian dangyuan dangjian wangge gqt12345 jingwei2026 shaoxing123 hangzhou123
qazwsx qazwsxedc wsxedc edcrfv 1a2b3c4d a1b2c3d4 aaa111 abc12345 abcdef abcdefg abcdefgh abcdefghijk
11111111 00000000 88888888 66666666 12341234 11223344 123456a 123456aa 123456abc a1234567 1234qwer qwer1234
qwerasdf asdf1234 zxcv1234 admin1234 admin12345 administrator1 sysadmin system system123 manager manager123
oracle mysql postgres postgresql database server server123 user user123 demo demo123 sample
jingwei2025 jingwei2024 passwordpassword iloveyou123 1234567890ab qwertyuiop123 1q2w3e4r5t6y 1qaz2wsx3edc
zaq1xsw2cde3 q1w2e3r4t5y6 abcd12345678 aa12345678 password12345 welcome123 letmein123 football123 monkey123
`;

export const COMMON_PASSWORDS: ReadonlySet<string> = new Set(LIST.split(/\s+/).filter(Boolean));
