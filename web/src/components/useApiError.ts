import { App, type FormInstance } from 'antd';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../lib/api.ts';

/**
 * Shows an API error: its title in a toast, and each listed field error on the matching form field
 * (fields are named as in the API, so "name" or "body.name" both land on the "name" item).
 */
export function useApiError() {
  const { message } = App.useApp();
  const { t } = useTranslation();
  return useCallback(
    (error: unknown, form?: FormInstance, fieldMap?: Record<string, string>) => {
      if (!(error instanceof ApiError)) {
        message.error(error instanceof Error ? error.message : t('error.loadFailed'));
        return;
      }
      message.error(error.problem.detail ? `${error.problem.title}: ${error.problem.detail}` : error.problem.title);
      if (!form || error.fieldErrors.length === 0) return;
      const byField = new Map<string, string[]>();
      for (const { field, message: text } of error.fieldErrors) {
        const bare = field.replace(/^(body|query|params)[./]/, '').split(/[./]/)[0] ?? field;
        const name = fieldMap?.[bare] ?? bare;
        byField.set(name, [...(byField.get(name) ?? []), text]);
      }
      form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
    },
    [message, t],
  );
}
