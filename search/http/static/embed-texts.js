// Every text the <rtes-recherche> component shows, by language (its lang attribute): French only
// for now; a language is added here, nowhere else.
const plural = (count, one, many) => `${count.toLocaleString("fr-FR")} ${count > 1 ? many : one}`;

export const TEXTS = {
  fr: {
    label: "Rechercher dans les ressources du RTES",
    placeholder: "ex. marchés réservés, co-construction…",
    submit: "Rechercher",
    suggestions: "Suggestions",
    filters: "Filtrer",
    facets: { type: "Type", year: "Année", theme: "Thème", territory: "Territoire" },
    more: "Plus de résultats",
    searching: "Recherche en cours…",
    total: (count, query) => (count ? plural(count, "résultat", "résultats") : "Aucun résultat")
      + (query ? ` pour « ${query} »` : ""),
    shown: (shown, total) => `${plural(shown, "résultat affiché", "résultats affichés")} sur ${total.toLocaleString("fr-FR")}`,
    unreachable: "La recherche du RTES ne répond pas à ce site : accès non autorisé ou service injoignable.",
    tooMany: (seconds) => `Trop de requêtes : réessayez dans ${seconds} s.`,
    failed: (message) => `La recherche a échoué : ${message}.`,
    private: "privée",
  },
};

export function texts(lang) {
  return TEXTS[(lang || "fr").slice(0, 2).toLowerCase()] || TEXTS.fr;
}
