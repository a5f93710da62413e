/** A small colour legend in the map's corner. */
export function MapLegend({ items, title }: { items: { color: string; label: string }[]; title?: string }) {
  return (
    <div className="jw-map-legend" data-testid="map-legend">
      {title && <div style={{ fontWeight: 600, marginBottom: 4 }}>{title}</div>}
      {items.map((i) => (
        <div key={i.label}>
          <i style={{ background: i.color }} />
          {i.label}
        </div>
      ))}
    </div>
  );
}
