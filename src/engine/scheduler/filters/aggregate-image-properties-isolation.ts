// AggregateImagePropertiesIsolation (nova/scheduler/filters/
// aggregate_image_properties_isolation.py): for each key of the host's aggregates' metadata
// (within aggregate_image_properties_isolation_namespace and its separator, when set), an
// image giving that property must give one of the aggregate's values; an image without the
// property passes, and so does a key Nova's ImageMetaProps has no field for (image-meta-props.ts)
// (docs/semantics.md, "Filters").
import { aggregateMetadataByHost } from '../host-aggregates.ts';
import type { HostFilter } from './host-filter.ts';
import { IMAGE_META_PROPS_FIELDS, imagePropertyValue } from './image-meta-props.ts';

export const AGGREGATE_IMAGE_PROPERTIES_ISOLATION: HostFilter = {
  name: 'AggregateImagePropertiesIsolation',
  readsUsage: false,
  refusal({ aggregates }, { image }, settings) {
    const namespace = settings.aggregate_image_properties_isolation_namespace;
    const prefix = namespace ? namespace + settings.aggregate_image_properties_isolation_separator : null;
    const properties = image?.properties ?? {};
    for (const [key, options] of aggregateMetadataByHost(aggregates)) {
      if ((prefix !== null && !key.startsWith(prefix)) || !IMAGE_META_PROPS_FIELDS.has(key)) continue;
      const property = Object.hasOwn(properties, key) ? imagePropertyValue(key, properties[key]) : undefined;
      if (property && !options.has(property)) return `image property ${key} ${property} is not among ${[...options].join(', ')} (AggregateImagePropertiesIsolation)`;
    }
    return null;
  },
};
