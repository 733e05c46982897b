//! The two built-in templates a cadre starts from: 夜话满意度调查 (its `satisfaction`
//! question is what headquarters counts, see `rollup`) and 群众需求征集 (collecting needs,
//! anonymous unless the villager leaves a name). Owns their wording only.

use super::{Kind, Question, ShowIf, Survey, SATISFACTION_OPTIONS, SATISFACTION_QUESTION};
use serde_json::Value;

/// Which template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Template {
    /// 夜话满意度调查.
    Satisfaction,
    /// 群众需求征集.
    Needs,
}

impl Template {
    /// Both, in the order the list shows them.
    pub const ALL: [Template; 2] = [Template::Satisfaction, Template::Needs];

    /// The `template` field's value.
    pub fn as_str(self) -> &'static str {
        match self {
            Template::Satisfaction => super::SATISFACTION_TEMPLATE,
            Template::Needs => "needs",
        }
    }
}

fn q(id: &str, kind: Kind, label: &str, required: bool, options: &[&str]) -> Question {
    Question {
        id: id.into(),
        kind,
        label: label.into(),
        required,
        options: options.iter().map(|o| (*o).to_owned()).collect(),
        min: None,
        max: None,
        show_if: None,
        extra: Default::default(),
    }
}

/// A new draft survey made from a template.
pub fn survey(t: Template) -> Survey {
    let (title, description, questions) = match t {
        Template::Satisfaction => (
            "夜话满意度调查",
            "请为今晚的村夜话打分，您的意见帮助我们办得更好。",
            vec![
                q(
                    SATISFACTION_QUESTION,
                    Kind::Single,
                    "您对今晚的村夜话满意吗？",
                    true,
                    &SATISFACTION_OPTIONS,
                ),
                q("q1", Kind::Rating, "请为主讲内容打分", true, &[]),
                q(
                    "q2",
                    Kind::Multiple,
                    "您最希望下次夜话讲什么？",
                    false,
                    &["政策解读", "农业技术", "健康知识", "法律常识", "文艺活动"],
                ),
                Question {
                    show_if: Some(ShowIf {
                        question: SATISFACTION_QUESTION.into(),
                        equals: Value::from("不满意"),
                    }),
                    ..q("q3", Kind::Text, "哪里让您不满意？", false, &[])
                },
                q("q4", Kind::Text, "还有什么建议？", false, &[]),
            ],
        ),
        Template::Needs => (
            "群众需求征集",
            "说说您和家里最需要帮助的事，我们会尽快回应。",
            vec![
                q(
                    "q1",
                    Kind::Multiple,
                    "您最需要哪方面的帮助？",
                    true,
                    &[
                        "就业",
                        "农技",
                        "医疗",
                        "教育",
                        "养老",
                        "基础设施",
                        "矛盾纠纷",
                        "政策咨询",
                        "其他",
                    ],
                ),
                q(
                    "q2",
                    Kind::Single,
                    "有多急？",
                    true,
                    &["很急", "较急", "不急"],
                ),
                q("q3", Kind::Text, "请具体说说", false, &[]),
                q("q4", Kind::YesNo, "需要我们联系您吗？", false, &[]),
                Question {
                    show_if: Some(ShowIf {
                        question: "q4".into(),
                        equals: Value::Bool(true),
                    }),
                    ..q("q5", Kind::Text, "您的姓名和电话（可不填）", false, &[])
                },
            ],
        ),
    };
    Survey {
        title: title.into(),
        description: description.into(),
        template: Some(t.as_str().into()),
        version: 1,
        questions,
        ..Survey::default()
    }
}
