/**
 * The few controls the phone pages need, as plain elements styled by phone.css (no antd: issue 10 budgets the
 * registration page's first load at 150 KB gzip). Native inputs, selects and checkboxes: a phone's own pickers,
 * including in WeChat's browser.
 */
import type { ButtonHTMLAttributes, ReactNode } from 'react';

export function Spinner({ small }: { small?: boolean }) {
  return <span className={small ? 'jw-spin jw-spin-small' : 'jw-spin'} aria-hidden="true" />;
}

export function PageSpinner() {
  return (
    <div className="jw-page-spin" role="status" aria-live="polite">
      <Spinner />
    </div>
  );
}

type ButtonProps = ButtonHTMLAttributes<HTMLButtonElement> & {
  kind?: 'primary' | 'default' | 'link';
  small?: boolean;
  block?: boolean;
  loading?: boolean;
  icon?: ReactNode;
  testId?: string;
};

export function Button({
  kind = 'default',
  small,
  block,
  loading,
  icon,
  testId,
  className,
  children,
  type = 'button',
  disabled,
  ...rest
}: ButtonProps) {
  const classes = ['jw-btn', `jw-btn-${kind}`, small && 'jw-btn-small', block && 'jw-btn-block', className];
  return (
    <button
      {...rest}
      type={type}
      className={classes.filter(Boolean).join(' ')}
      disabled={disabled || loading}
      aria-busy={loading || undefined}
      data-testid={testId}
    >
      {loading ? <Spinner small /> : icon}
      {children !== undefined && <span>{children}</span>}
    </button>
  );
}

export function Note({
  kind,
  children,
  description,
  action,
  icon,
  testId,
}: {
  kind: 'info' | 'success' | 'warning' | 'error';
  children: ReactNode;
  description?: ReactNode;
  action?: ReactNode;
  icon?: ReactNode;
  testId?: string;
}) {
  return (
    <div className={`jw-note jw-note-${kind}`} role={kind === 'error' ? 'alert' : undefined} data-testid={testId}>
      {icon && <span className="jw-note-icon">{icon}</span>}
      <div className="jw-note-body">
        <div>{children}</div>
        {description && <div className="jw-note-desc">{description}</div>}
      </div>
      {action && <div className="jw-note-action">{action}</div>}
    </div>
  );
}

export function ResultView({
  status,
  title,
  subTitle,
  extra,
}: {
  status: 'success' | 'info' | 'warning';
  title: ReactNode;
  subTitle?: ReactNode;
  extra?: ReactNode;
}) {
  return (
    <div className="jw-result">
      <div className={`jw-result-icon jw-result-${status}`} aria-hidden="true">
        {status === 'success' ? '✓' : status === 'info' ? 'i' : '!'}
      </div>
      <div className="jw-result-title">{title}</div>
      {subTitle && <div className="jw-result-sub">{subTitle}</div>}
      {extra && <div className="jw-result-extra">{extra}</div>}
    </div>
  );
}

/** A labelled form row with its hint and its error (the server's field error, or a missing value). */
export function Field({
  id,
  label,
  hint,
  error,
  children,
}: {
  id: string;
  label?: ReactNode;
  hint?: ReactNode;
  error?: string;
  children: ReactNode;
}) {
  return (
    <div className={error ? 'jw-field jw-field-invalid' : 'jw-field'}>
      {label && (
        <label className="jw-label" htmlFor={id}>
          {label}
        </label>
      )}
      {children}
      {error ? (
        <div className="jw-field-error" id={`${id}-error`} role="alert">
          {error}
        </div>
      ) : (
        hint && <div className="jw-hint">{hint}</div>
      )}
    </div>
  );
}

/** Two or three choices side by side (antd Segmented), as a radio group. */
export function Segmented<V extends string>({
  value,
  options,
  onChange,
  label,
  testId,
}: {
  value: V | undefined;
  options: { value: V; label: string }[];
  onChange: (value: V) => void;
  label?: string;
  testId?: string;
}) {
  return (
    <div className="jw-seg" role="radiogroup" aria-label={label} data-testid={testId}>
      {options.map((o) => (
        <button
          key={o.value}
          type="button"
          role="radio"
          aria-checked={o.value === value}
          className={o.value === value ? 'jw-seg-item jw-seg-on' : 'jw-seg-item'}
          onClick={() => onChange(o.value)}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}

export function PinIcon() {
  return (
    <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" className="jw-icon">
      <path
        fill="currentColor"
        d="M12 2a7 7 0 0 0-7 7c0 5.2 7 13 7 13s7-7.8 7-13a7 7 0 0 0-7-7zm0 9.5A2.5 2.5 0 1 1 12 6.5a2.5 2.5 0 0 1 0 5z"
      />
    </svg>
  );
}

export function ReloadIcon() {
  return (
    <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" className="jw-icon">
      <path
        fill="currentColor"
        d="M17.65 6.35A7.96 7.96 0 0 0 12 4a8 8 0 1 0 7.73 10h-2.08A6 6 0 1 1 12 6c1.66 0 3.14.69 4.22 1.78L13 11h7V4l-2.35 2.35z"
      />
    </svg>
  );
}
