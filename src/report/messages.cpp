// The report's fixed labels in English, Dutch and French (Belgian centres work in both).
// Every key exists in every catalogue (tests/unit/report_test.cpp checks it). Rule-generated
// text (therapies, reasons, rule names) is never translated.
#include <algorithm>
#include <array>
#include <utility>

#include "actionable/report/report.hpp"

namespace actionable::report {

namespace {

struct Entry {
  std::string_view key, text;
};

constexpr Entry kEn[] = {
    {"title", "Molecular tumour board report"},
    {"intended_use",
     "Decision support for the molecular tumour board. The options listed follow from the rule set named "
     "below and the findings as recorded; the treating physician decides."},
    {"section.summary", "Summary"},
    {"section.options", "Options"},
    {"section.tests_to_order", "Tests that would decide more"},
    {"section.suppressed", "Suppressed by resistance"},
    {"section.off_label", "Off-label evidence"},
    {"section.near_misses", "Near misses"},
    {"section.findings", "Findings"},
    {"section.germline", "Germline findings"},
    {"section.tests", "Tests performed"},
    {"section.figures", "Figures"},
    {"section.treatments", "Treatment history"},
    {"section.unresolved", "Unresolved gene symbols"},
    {"header.pseudonym", "Pseudonym"},
    {"header.centre", "Centre"},
    {"header.tumour", "Tumour"},
    {"header.stage", "Stage"},
    {"header.age", "Age"},
    {"header.sex", "Sex"},
    {"header.ecog", "ECOG"},
    {"header.lines", "Previous lines"},
    {"header.report_date", "Report date"},
    {"header.engine", "Engine"},
    {"header.ruleset", "Rule set"},
    {"header.references", "References"},
    {"summary.recommended", "Recommended pathway"},
    {"summary.options_found", "Options found"},
    {"summary.provisional",
     "PROVISIONAL: rows of the lab files could not be read; every option may change once they are."},
    {"why.standard_of_care", "A genotype-driven standard-of-care option exists for this tumour and these findings."},
    {"why.matched_trial", "No standard-of-care option; a genotype-matched trial is open to this patient."},
    {"why.precision2", "No standard-of-care option and no matched trial; a PRECISION 2 cohort fits these findings."},
    {"why.empirical", "No genotype-driven option was found: empirical approved treatment."},
    {"col.class", "Class"},
    {"col.therapy", "Therapy"},
    {"col.level", "Evidence"},
    {"col.findings", "Findings"},
    {"col.citations", "Sources"},
    {"col.rule", "Rule"},
    {"col.sites", "Sites"},
    {"col.test", "Test"},
    {"col.options", "Options that depend on it"},
    {"col.by", "Suppressed by"},
    {"col.approved_in", "Approved in"},
    {"col.reason", "Requirement not met"},
    {"col.gene", "Gene"},
    {"col.alteration", "Alteration"},
    {"col.origin", "Origin"},
    {"col.vaf", "VAF"},
    {"col.method", "Method"},
    {"col.specimen", "Specimen"},
    {"col.drives", "Options it drives"},
    {"col.line", "Line"},
    {"col.drugs", "Drugs"},
    {"col.start", "Start"},
    {"col.end", "End"},
    {"col.response", "Best response"},
    {"col.progression", "Progression"},
    {"col.what", "Genes / biomarker"},
    {"col.panel", "Panel"},
    {"class.approved", "approved"},
    {"class.standard_of_care", "standard of care"},
    {"class.resistance", "resistance"},
    {"class.matched_trial", "matched trial"},
    {"class.precision2_candidate", "PRECISION 2"},
    {"class.evidence", "evidence"},
    {"section.evidence", "Evidence from literature and knowledge bases"},
    {"evidence.note",
     "Evidence, not an approval or a standard of care: it is not counted among the options and can support a PRECISION "
     "2 discussion."},
    {"col.direction", "Direction"},
    {"direction.sensitivity", "sensitivity"},
    {"direction.resistance", "resistance"},
    {"direction.reduced_sensitivity", "reduced sensitivity"},
    {"direction.adverse_response", "adverse response"},
    {"direction.not.sensitivity", "does not support sensitivity"},
    {"direction.not.resistance", "does not support resistance"},
    {"direction.not.reduced_sensitivity", "does not support reduced sensitivity"},
    {"direction.not.adverse_response", "does not support an adverse response"},
    {"pathway.standard_of_care", "standard of care"},
    {"pathway.matched_trial", "matched trial"},
    {"pathway.precision2", "PRECISION 2"},
    {"pathway.empirical", "empirical treatment"},
    {"germline.counselling",
     "Germline findings may concern relatives: refer for genetic counselling before disclosure."},
    {"fig.finding_option", "Which finding opens which option"},
    {"fig.vaf", "Variant allele fraction per finding"},
    {"fig.timeline", "Previous lines of treatment"},
    {"none", "none"},
    {"order", "Order"},
    {"depends", "options depend on it"},
    {"depends_one", "option depends on it"},
    {"eligible", "eligible"},
    {"phase", "Phase"},
    {"availability.at_centre", "open at this patient's centre"},
    {"availability.in_country", "open elsewhere in Belgium"},
    {"site.recruiting", "recruiting"},
    {"site.suspended", "suspended"},
    {"site.closed", "closed"},
    {"slots", "slots"},
    {"coverage.declared", "absence judged against the declared tests"},
    {"coverage.assumed", "no tests declared: absence assumed tested (closed world)"},
    {"index.title", "Reports"},
};

constexpr Entry kNl[] = {
    {"title", "Verslag van het moleculair tumorbord"},
    {"intended_use",
     "Beslissingsondersteuning voor het moleculair tumorbord. De opties volgen uit de hieronder genoemde "
     "regelset en de geregistreerde bevindingen; de behandelend arts beslist."},
    {"section.summary", "Samenvatting"},
    {"section.options", "Opties"},
    {"section.tests_to_order", "Testen die meer zouden beslissen"},
    {"section.suppressed", "Onderdrukt door resistentie"},
    {"section.off_label", "Off-label bewijs"},
    {"section.near_misses", "Net niet in aanmerking"},
    {"section.findings", "Bevindingen"},
    {"section.germline", "Kiembaanbevindingen"},
    {"section.tests", "Uitgevoerde testen"},
    {"section.figures", "Figuren"},
    {"section.treatments", "Behandelgeschiedenis"},
    {"section.unresolved", "Niet herkende gensymbolen"},
    {"header.pseudonym", "Pseudoniem"},
    {"header.centre", "Centrum"},
    {"header.tumour", "Tumor"},
    {"header.stage", "Stadium"},
    {"header.age", "Leeftijd"},
    {"header.sex", "Geslacht"},
    {"header.ecog", "ECOG"},
    {"header.lines", "Eerdere lijnen"},
    {"header.report_date", "Datum verslag"},
    {"header.engine", "Engine"},
    {"header.ruleset", "Regelset"},
    {"header.references", "Referenties"},
    {"summary.recommended", "Aanbevolen traject"},
    {"summary.options_found", "Gevonden opties"},
    {"summary.provisional",
     "VOORLOPIG: rijen van de labobestanden konden niet gelezen worden; elke optie kan nog wijzigen."},
    {"why.standard_of_care",
     "Er bestaat een genotype-gestuurde standaardbehandeling voor deze tumor en deze bevindingen."},
    {"why.matched_trial", "Geen standaardbehandeling; een genotype-gerichte studie staat open voor deze patiënt."},
    {"why.precision2", "Geen standaardbehandeling en geen studie; een PRECISION 2-cohorte past bij deze bevindingen."},
    {"why.empirical", "Geen genotype-gestuurde optie gevonden: empirische goedgekeurde behandeling."},
    {"col.class", "Klasse"},
    {"col.therapy", "Therapie"},
    {"col.level", "Bewijs"},
    {"col.findings", "Bevindingen"},
    {"col.citations", "Bronnen"},
    {"col.rule", "Regel"},
    {"col.sites", "Centra"},
    {"col.test", "Test"},
    {"col.options", "Opties die ervan afhangen"},
    {"col.by", "Onderdrukt door"},
    {"col.approved_in", "Goedgekeurd in"},
    {"col.reason", "Niet voldane voorwaarde"},
    {"col.gene", "Gen"},
    {"col.alteration", "Alteratie"},
    {"col.origin", "Oorsprong"},
    {"col.vaf", "VAF"},
    {"col.method", "Methode"},
    {"col.specimen", "Staal"},
    {"col.drives", "Opties die ze opent"},
    {"col.line", "Lijn"},
    {"col.drugs", "Geneesmiddelen"},
    {"col.start", "Start"},
    {"col.end", "Einde"},
    {"col.response", "Beste respons"},
    {"col.progression", "Progressie"},
    {"col.what", "Genen / biomerker"},
    {"col.panel", "Panel"},
    {"class.approved", "goedgekeurd"},
    {"class.standard_of_care", "standaardbehandeling"},
    {"class.resistance", "resistentie"},
    {"class.matched_trial", "passende studie"},
    {"class.precision2_candidate", "PRECISION 2"},
    {"class.evidence", "evidentie"},
    {"section.evidence", "Evidentie uit literatuur en kennisbanken"},
    {"evidence.note",
     "Evidentie, geen goedkeuring of standaardbehandeling: ze telt niet mee als optie en kan een PRECISION "
     "2-bespreking ondersteunen."},
    {"col.direction", "Richting"},
    {"direction.sensitivity", "gevoeligheid"},
    {"direction.resistance", "resistentie"},
    {"direction.reduced_sensitivity", "verminderde gevoeligheid"},
    {"direction.adverse_response", "ongewenste reactie"},
    {"direction.not.sensitivity", "ondersteunt geen gevoeligheid"},
    {"direction.not.resistance", "ondersteunt geen resistentie"},
    {"direction.not.reduced_sensitivity", "ondersteunt geen verminderde gevoeligheid"},
    {"direction.not.adverse_response", "ondersteunt geen ongewenste reactie"},
    {"pathway.standard_of_care", "standaardbehandeling"},
    {"pathway.matched_trial", "passende studie"},
    {"pathway.precision2", "PRECISION 2"},
    {"pathway.empirical", "empirische behandeling"},
    {"germline.counselling",
     "Kiembaanbevindingen kunnen verwanten aanbelangen: verwijs voor genetisch advies vóór mededeling."},
    {"fig.finding_option", "Welke bevinding welke optie opent"},
    {"fig.vaf", "Variant-allelfractie per bevinding"},
    {"fig.timeline", "Eerdere behandellijnen"},
    {"none", "geen"},
    {"order", "Vraag aan"},
    {"depends", "opties hangen ervan af"},
    {"depends_one", "optie hangt ervan af"},
    {"eligible", "in aanmerking"},
    {"phase", "Fase"},
    {"availability.at_centre", "open in het centrum van deze patiënt"},
    {"availability.in_country", "elders in België open"},
    {"site.recruiting", "rekruteert"},
    {"site.suspended", "opgeschort"},
    {"site.closed", "gesloten"},
    {"slots", "plaatsen"},
    {"coverage.declared", "afwezigheid beoordeeld tegen de opgegeven testen"},
    {"coverage.assumed", "geen testen opgegeven: afwezigheid als getest aangenomen (gesloten wereld)"},
    {"index.title", "Verslagen"},
};

constexpr Entry kFr[] = {
    {"title", "Rapport du comité moléculaire des tumeurs"},
    {"intended_use",
     "Aide à la décision pour le comité moléculaire des tumeurs. Les options découlent du jeu de règles "
     "indiqué ci-dessous et des résultats enregistrés ; le médecin traitant décide."},
    {"section.summary", "Résumé"},
    {"section.options", "Options"},
    {"section.tests_to_order", "Tests qui décideraient davantage"},
    {"section.suppressed", "Supprimées par une résistance"},
    {"section.off_label", "Données hors indication"},
    {"section.near_misses", "Presque éligibles"},
    {"section.findings", "Résultats"},
    {"section.germline", "Résultats constitutionnels"},
    {"section.tests", "Tests réalisés"},
    {"section.figures", "Figures"},
    {"section.treatments", "Historique des traitements"},
    {"section.unresolved", "Symboles de gènes non reconnus"},
    {"header.pseudonym", "Pseudonyme"},
    {"header.centre", "Centre"},
    {"header.tumour", "Tumeur"},
    {"header.stage", "Stade"},
    {"header.age", "Âge"},
    {"header.sex", "Sexe"},
    {"header.ecog", "ECOG"},
    {"header.lines", "Lignes antérieures"},
    {"header.report_date", "Date du rapport"},
    {"header.engine", "Moteur"},
    {"header.ruleset", "Jeu de règles"},
    {"header.references", "Références"},
    {"summary.recommended", "Parcours recommandé"},
    {"summary.options_found", "Options trouvées"},
    {"summary.provisional",
     "PROVISOIRE : des lignes des fichiers de laboratoire n'ont pas pu être lues ; chaque option peut encore changer."},
    {"why.standard_of_care", "Un traitement standard guidé par le génotype existe pour cette tumeur et ces résultats."},
    {"why.matched_trial", "Pas de traitement standard ; un essai guidé par le génotype est ouvert à ce patient."},
    {"why.precision2", "Ni traitement standard ni essai ; une cohorte PRECISION 2 correspond à ces résultats."},
    {"why.empirical", "Aucune option guidée par le génotype : traitement empirique autorisé."},
    {"col.class", "Classe"},
    {"col.therapy", "Traitement"},
    {"col.level", "Niveau de preuve"},
    {"col.findings", "Résultats"},
    {"col.citations", "Sources"},
    {"col.rule", "Règle"},
    {"col.sites", "Sites"},
    {"col.test", "Test"},
    {"col.options", "Options qui en dépendent"},
    {"col.by", "Supprimée par"},
    {"col.approved_in", "Autorisé dans"},
    {"col.reason", "Condition non remplie"},
    {"col.gene", "Gène"},
    {"col.alteration", "Altération"},
    {"col.origin", "Origine"},
    {"col.vaf", "VAF"},
    {"col.method", "Méthode"},
    {"col.specimen", "Échantillon"},
    {"col.drives", "Options ouvertes"},
    {"col.line", "Ligne"},
    {"col.drugs", "Médicaments"},
    {"col.start", "Début"},
    {"col.end", "Fin"},
    {"col.response", "Meilleure réponse"},
    {"col.progression", "Progression"},
    {"col.what", "Gènes / biomarqueur"},
    {"col.panel", "Panel"},
    {"class.approved", "autorisé"},
    {"class.standard_of_care", "traitement standard"},
    {"class.resistance", "résistance"},
    {"class.matched_trial", "essai correspondant"},
    {"class.precision2_candidate", "PRECISION 2"},
    {"class.evidence", "données probantes"},
    {"section.evidence", "Données de la littérature et des bases de connaissances"},
    {"evidence.note",
     "Données probantes, ni autorisation ni traitement standard : elles ne comptent pas parmi les options et peuvent "
     "étayer une discussion PRECISION 2."},
    {"col.direction", "Sens"},
    {"direction.sensitivity", "sensibilité"},
    {"direction.resistance", "résistance"},
    {"direction.reduced_sensitivity", "sensibilité réduite"},
    {"direction.adverse_response", "réaction indésirable"},
    {"direction.not.sensitivity", "ne soutient pas la sensibilité"},
    {"direction.not.resistance", "ne soutient pas la résistance"},
    {"direction.not.reduced_sensitivity", "ne soutient pas une sensibilité réduite"},
    {"direction.not.adverse_response", "ne soutient pas une réaction indésirable"},
    {"pathway.standard_of_care", "traitement standard"},
    {"pathway.matched_trial", "essai correspondant"},
    {"pathway.precision2", "PRECISION 2"},
    {"pathway.empirical", "traitement empirique"},
    {"germline.counselling",
     "Les résultats constitutionnels peuvent concerner des apparentés : orienter vers un conseil génétique avant "
     "communication."},
    {"fig.finding_option", "Quel résultat ouvre quelle option"},
    {"fig.vaf", "Fraction allélique par résultat"},
    {"fig.timeline", "Lignes de traitement antérieures"},
    {"none", "aucun"},
    {"order", "Demander"},
    {"depends", "options en dépendent"},
    {"depends_one", "option en dépend"},
    {"eligible", "éligible"},
    {"phase", "Phase"},
    {"availability.at_centre", "ouvert dans le centre de ce patient"},
    {"availability.in_country", "ouvert ailleurs en Belgique"},
    {"site.recruiting", "recrute"},
    {"site.suspended", "suspendu"},
    {"site.closed", "fermé"},
    {"slots", "places"},
    {"coverage.declared", "absence jugée selon les tests déclarés"},
    {"coverage.assumed", "aucun test déclaré : absence supposée testée (monde clos)"},
    {"index.title", "Rapports"},
};

template <std::size_t N>
std::string_view find(Entry const (&table)[N], std::string_view key) {
  for (auto const& e : table)
    if (e.key == key) return e.text;
  return {};
}

template <std::size_t N>
std::vector<std::string_view> keys(Entry const (&table)[N]) {
  std::vector<std::string_view> out;
  for (auto const& e : table) out.push_back(e.key);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

std::string_view to_string(Language l) noexcept { return l == Language::kNl ? "nl" : l == Language::kFr ? "fr" : "en"; }

std::optional<Language> parse_language(std::string_view t) noexcept {
  if (t == "en") return Language::kEn;
  if (t == "nl") return Language::kNl;
  if (t == "fr") return Language::kFr;
  return std::nullopt;
}

std::string_view label(Language lang, std::string_view key) noexcept {
  switch (lang) {
    case Language::kNl: return find(kNl, key);
    case Language::kFr: return find(kFr, key);
    case Language::kEn: break;
  }
  return find(kEn, key);
}

std::vector<std::string_view> label_keys(Language lang) {
  switch (lang) {
    case Language::kNl: return keys(kNl);
    case Language::kFr: return keys(kFr);
    case Language::kEn: break;
  }
  return keys(kEn);
}

}  // namespace actionable::report
