import { useQuery } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext, useEffect, useMemo, useState } from 'react';
import type { z } from 'zod';
import type { DistrictSchema } from '../../../domain/common.ts';
import { useSession } from '../features/auth/session.ts';
import { api } from '../lib/api.ts';

export type District = z.infer<typeof DistrictSchema>;

type DistrictState = {
  /** The district to pass as ?districtId= (platform admins only; others are scoped by the server). */
  districtId: number | undefined;
  districtName: string | null;
  districts: District[];
  canChoose: boolean;
  choose: (id: number) => void;
};

const DistrictContext = createContext<DistrictState | null>(null);
const STORAGE_KEY = 'jingwei.districtId';

/** A platform admin works in one chosen district at a time; everybody else in their own. */
export function DistrictProvider({ children }: { children: ReactNode }) {
  const me = useSession();
  const canChoose = me.account.role === 'platform_admin';
  const districts = useQuery({
    queryKey: ['districts'],
    queryFn: () => api<{ items: District[] }>('GET', '/api/districts'),
    enabled: canChoose,
    staleTime: 60_000,
  });
  const [chosen, setChosen] = useState<number | undefined>(() => {
    const stored = Number(localStorage.getItem(STORAGE_KEY));
    return Number.isInteger(stored) && stored > 0 ? stored : undefined;
  });
  const items = districts.data?.items ?? [];
  useEffect(() => {
    if (!canChoose || items.length === 0) return;
    if (chosen === undefined || !items.some((d) => d.id === chosen)) {
      setChosen(me.account.districtId ?? items[0].id);
    }
  }, [canChoose, items, chosen, me.account.districtId]);

  const value = useMemo<DistrictState>(() => {
    const selected = canChoose ? items.find((d) => d.id === chosen) : undefined;
    return {
      districtId: canChoose ? selected?.id : undefined,
      districtName: canChoose ? (selected?.name ?? me.districtName) : me.districtName,
      districts: items,
      canChoose,
      choose: (id) => {
        localStorage.setItem(STORAGE_KEY, String(id));
        setChosen(id);
      },
    };
  }, [canChoose, items, chosen, me.districtName]);
  return <DistrictContext.Provider value={value}>{children}</DistrictContext.Provider>;
}

export function useDistrict(): DistrictState {
  const state = useContext(DistrictContext);
  if (!state) throw new Error('useDistrict outside DistrictProvider');
  return state;
}
