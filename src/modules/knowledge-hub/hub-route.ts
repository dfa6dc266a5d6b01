import { LANG_PARAM } from '../../platform/i18n/index.ts'

/** The route pattern every hub page lives under: `/{lang}/{city}/hub`. */
export const HUB_ROUTE = `/${LANG_PARAM}/:city{[a-z0-9-]+}/hub`
