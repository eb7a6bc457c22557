use import::{ImportError, Mapping, Options, Tool, import};

use crate::{fixture, import_fixture, round_trip, rows_of};

#[test]
fn the_mapping_used_can_be_drafted_edited_and_applied() {
    let imported = import_fixture(
        Tool::SurveyMonkey,
        "surveymonkey_ranking.csv",
        Options::default(),
    );
    let draft = imported.mapping.to_toml();
    assert_eq!(
        draft,
        "# A mapping for `prioritise import --mapping`: edit the questions (text contained in\n# their headers) and the ids (lowercase slugs) given to each label, then import again.\n\
group_question = \"Which group best describes you?\"\n\
question = \"Please rank these topics from most important (1) to least important (3).\"\n\
\n\
[items]\n\
\"Early help\" = \"early-help\"\n\
\"Kinship care\" = \"kinship-care\"\n\
\"Social work caseloads\" = \"social-work-caseloads\"\n\
\n\
[groups]\n\
Other = \"other\"\n\
\"Parents and carers\" = \"parents-and-carers\"\n\
Practitioners = \"practitioners\"\n"
    );
    let edited = draft
        .replace("\"social-work-caseloads\"", "\"caseloads\"")
        .replace("\"parents-and-carers\"", "\"parents\"");
    let mapping = Mapping::parse(&edited, "mapping.toml").unwrap();
    let bytes = std::fs::read(fixture("surveymonkey_ranking.csv")).unwrap();
    let remapped = import(
        Tool::SurveyMonkey,
        &bytes,
        "export.csv",
        Options {
            mapping: Some(&mapping),
            ..Options::default()
        },
    )
    .unwrap();
    let (_, outcome) = round_trip(&remapped);
    let rows = rows_of(&outcome);
    assert_eq!(
        rows[..3],
        [
            "114691001,parents,early-help,1",
            "114691001,parents,kinship-care,2",
            "114691001,parents,caseloads,3",
        ]
    );
    assert_eq!(remapped.mapping, mapping);
}

#[test]
fn a_mapping_can_name_the_group_question() {
    let mapping = Mapping::parse("group_question = \"your ROLE\"\n", "mapping.toml").unwrap();
    let bytes = std::fs::read(fixture("google_forms_numbers.csv")).unwrap();
    let imported = import(
        Tool::GoogleForms,
        &bytes,
        "f.csv",
        Options {
            mapping: Some(&mapping),
            ..Options::default()
        },
    )
    .unwrap();
    assert_eq!(imported.respondent_count, 2);
}

#[test]
fn a_mapped_id_must_be_a_slug_and_keys_must_be_known() {
    let error = Mapping::parse("[items]\n\"Early help\" = \"Early help\"\n", "m.toml").unwrap_err();
    assert!(matches!(error, ImportError::Mapping { .. }));
    assert!(
        error
            .to_string()
            .starts_with("m.toml: [items] `Early help`: `Early help` is not a valid id"),
        "{error}"
    );
    let error = Mapping::parse("group = \"x\"\n", "m.toml").unwrap_err();
    assert!(
        error.to_string().contains("unknown field `group`"),
        "{error}"
    );
}

#[test]
fn against_an_exercise_mapped_ids_must_exist() {
    let exercise = crate::exercise();
    let mapping = Mapping::parse("[items]\n\"Early help\" = \"prevention\"\n", "m.toml").unwrap();
    let bytes = std::fs::read(fixture("surveymonkey_ranking.csv")).unwrap();
    let error = import(
        Tool::SurveyMonkey,
        &bytes,
        "export.csv",
        Options {
            exercise: Some(&exercise),
            mapping: Some(&mapping),
            ..Options::default()
        },
    )
    .unwrap_err();
    assert!(
        error.to_string().starts_with(
            "export.csv: item labels not found in exercise `import-example`: `Early help`"
        ),
        "{error}"
    );
}
