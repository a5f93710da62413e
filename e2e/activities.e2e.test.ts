import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiInPage, type E2eEnv, login, shot, startE2e } from './support.ts';

let env: E2eEnv;
beforeAll(async () => {
  env = await startE2e();
});
afterAll(() => env?.close());

const MIN = 60_000;
const inMinutes = (m: number) => new Date(Date.now() + m * MIN).toISOString();
/** `YYYY-MM-DDTHH:mm` in Beijing time, for a datetime-local input. */
const shanghaiLocal = (m: number) => new Date(Date.now() + m * MIN + 8 * 3600_000).toISOString().slice(0, 16);

describe('activities', () => {
  it('youth comment on a plan, the organiser adopts, youth sign up and check in by QR, the summary is published', async () => {
    const url = env.server.url;
    // organiser: the town admin of 柯桥街道 proposes a plan; the district approves it (the level above)
    const organiser = await (
      await env.browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } })
    ).newPage();
    await login(organiser, url, 'kqjd');
    const me = (await apiInPage(organiser, 'GET', '/api/me')).json;
    const categories = (await apiInPage(organiser, 'GET', '/api/activity-categories')).json.items;
    const created = await apiInPage(organiser, 'POST', '/api/activity-plans', {
      orgId: me.account.orgId,
      title: '青春议事会·社区微更新',
      purpose: '听取青年对社区口袋公园改造的意见',
      categoryId: categories[0].id,
      venue: '柯桥街道青年之家',
      startsAt: inMinutes(10),
      endsAt: inMinutes(120),
      capacity: 30,
      budgetFen: 50_000,
    });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const planId = created.json.id;
    expect((await apiInPage(organiser, 'POST', `/api/activity-plans/${planId}/submit`, {})).status).toBe(200);
    const district = await (await env.browser.newContext({ locale: 'zh-CN' })).newPage();
    await login(district, url, 'admin');
    expect((await apiInPage(district, 'POST', `/api/activity-plans/${planId}/approve`, { note: '同意' })).status).toBe(
      200,
    );

    // youth, on a 375 px phone: opens the plan and comments (markup is shown as typed, never run)
    const phone = await (
      await env.browser.newContext({ locale: 'zh-CN', viewport: { width: 375, height: 740 }, isMobile: true })
    ).newPage();
    await phone.goto(`${url}/p/${planId}`);
    await phone.getByTestId('public-plan-title').waitFor();
    expect(await phone.getByTestId('public-plan-title').textContent()).toBe('青春议事会·社区微更新');
    await phone.getByTestId('comment-text').fill('<b>建议</b>增加夜间照明');
    await phone.getByTestId('comment-name').fill('陈晓');
    await phone.getByTestId('comment-phone').fill('13905750001');
    await phone.getByTestId('comment-submit').click();
    await phone.getByText('<b>建议</b>增加夜间照明').waitFor();
    expect(await phone.locator('b').count()).toBe(0);
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(375);
    await shot(phone, 'activities-01-plan-comment');

    // organiser: the console page lists the plan; he adopts the suggestion with a reply
    await organiser.goto(`${url}/activities`);
    await organiser.getByTestId(`plan-detail-${planId}`).click();
    const comment = (await apiInPage(organiser, 'GET', `/api/activity-plans/${planId}`)).json.comments[0];
    await organiser.getByTestId(`comment-reply-text-${comment.id}`).fill('已采纳，将增设太阳能路灯');
    await organiser.getByTestId(`comment-adopt-${comment.id}`).click();
    await organiser.getByTestId(`comment-state-${comment.id}`).waitFor();
    // …and makes it an activity with a sign-up window
    await organiser.getByTestId('plan-open-closes').fill(shanghaiLocal(5));
    await organiser.getByTestId('plan-open').click();
    await organiser.getByTestId('status-approved').first().waitFor();
    let activity: any;
    for (let i = 0; i < 20 && !activity; i++) {
      activity = (await apiInPage(organiser, 'GET', `/api/activities?planId=${planId}`)).json.items[0];
      if (!activity) await organiser.waitForTimeout(250);
    }
    expect(activity.status).toBe('open');
    await shot(organiser, 'activities-02-console');

    // youth sees the reply, then scans the activity's QR: signs up and checks in
    await phone.reload();
    await phone.getByTestId(`public-comment-state-${comment.id}`).waitFor();
    expect(await phone.getByTestId(`public-comment-state-${comment.id}`).textContent()).toBe('已采纳');
    const qr = new URL(activity.qrUrl);
    await phone.goto(`${url}${qr.pathname}`);
    await phone.getByTestId('activity-title').waitFor();
    expect(await phone.getByTestId('youth-name').inputValue()).toBe('陈晓'); // remembered from the comment
    await phone.getByTestId('youth-signup').click();
    await phone.getByText('报名成功').waitFor();
    await phone.getByTestId('youth-checkin').click();
    await phone.getByText('签到成功').waitFor();
    await phone.getByTestId('youth-checkin').click();
    await phone.getByText('已经签到过了').waitFor();
    await shot(phone, 'activities-03-checked-in');

    // organiser runs it to the end in the console: start, finish, summary, publish
    await organiser.goto(`${url}/activities`);
    await organiser.getByTestId('tab-activities').click();
    await organiser.getByTestId(`activity-start-${activity.id}`).click();
    await organiser.getByTestId(`activity-finish-${activity.id}`).click();
    await organiser.getByTestId(`activity-summary-${activity.id}`).click();
    await organiser.getByTestId('summary-text').fill('开展议事会一场，收集建议 12 条，采纳 5 条。');
    await organiser.locator('#summary-submit').click();
    await organiser.getByTestId(`activity-publish-${activity.id}`).click();
    await organiser.getByTestId('status-published').first().waitFor();
    const detail = (await apiInPage(organiser, 'GET', `/api/activities/${activity.id}`)).json;
    expect(detail.events.map((e: { action: string }) => e.action)).toEqual([
      'open',
      'start',
      'finish',
      'summarise',
      'publish',
    ]);
    expect(detail.summary.attendance).toBe(1);

    // the youth's page now shows the published summary, and takes a rating
    await phone.reload();
    await phone.getByTestId('activity-summary').waitFor();
    expect(await phone.getByTestId('activity-status').textContent()).toBe('已宣传');
    await phone.getByTestId('youth-rate').click();
    await phone.getByText('感谢评分').waitFor();
    await shot(phone, 'activities-04-published');
    const published = await phone.evaluate(
      async (id) => (await fetch(`/api/public/activities/${id}`)).text(),
      activity.id,
    );
    expect(published).toContain('开展议事会一场');
    expect(published).not.toContain('13905750001');
    expect(published).not.toContain('陈晓');
  });
});
