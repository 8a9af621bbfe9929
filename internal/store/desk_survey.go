package store

import (
	"context"
	"database/sql"
	"strconv"
	"time"

	"gongkai/internal/audit"
	"gongkai/internal/desk"
	"gongkai/internal/errs"
)

// CreateSurvey stores a new questionnaire as a draft.
func (db *DB) CreateSurvey(ctx context.Context, actor audit.Actor, s *desk.Survey) (err error) {
	defer errs.Op(&err, "store.CreateSurvey")
	if err := desk.ValidateSurvey(s); err != nil {
		return err
	}
	s.State = desk.SurveyDraft
	return db.inTx(ctx, func(tx *Tx) error {
		id, err := tx.insert(ctx, "INSERT INTO desk_surveys (unit_id, title, intro, state, created_at) VALUES (?, ?, ?, ?, ?)", s.UnitID, s.Title, s.Intro, s.State, ts(db.Now()))
		if err != nil {
			return err
		}
		s.ID = id
		return tx.appendAudit(ctx, actor, audit.Change{Action: "desk.survey_create", ObjectType: "desk_survey", ObjectID: strconv.FormatInt(id, 10),
			After: map[string]any{"unit_id": s.UnitID, "title": s.Title}})
	})
}

const surveyCols = "id, unit_id, title, intro, state, opened_at, closed_at, (SELECT count(*) FROM desk_responses r WHERE r.survey_id = desk_surveys.id)"

func scanSurvey(sc interface{ Scan(...any) error }) (desk.Survey, error) {
	var s desk.Survey
	var o, c string
	err := sc.Scan(&s.ID, &s.UnitID, &s.Title, &s.Intro, &s.State, &o, &c, &s.Responses)
	s.OpenedAt, s.ClosedAt = mustTS(o), mustTS(c)
	return s, err
}

// Survey returns a survey with its questions and options.
func (db *DB) Survey(ctx context.Context, id int64) (_ desk.Survey, err error) {
	defer errs.Op(&err, "store.Survey")
	s, err := scanSurvey(db.row(ctx, "SELECT "+surveyCols+" FROM desk_surveys WHERE id = ?", id))
	if err == sql.ErrNoRows {
		return s, errs.E(errs.NotFound, "问卷不存在")
	}
	if err != nil {
		return s, db.mapErr(err)
	}
	rows, err := db.query(ctx, "SELECT id, pos, kind, text, required FROM desk_questions WHERE survey_id = ? ORDER BY pos, id", id)
	if err != nil {
		return s, err
	}
	for rows.Next() {
		q := desk.Question{SurveyID: id}
		var req int
		if err := rows.Scan(&q.ID, &q.Pos, &q.Kind, &q.Text, &req); err != nil {
			rows.Close()
			return s, err
		}
		q.Required = req == 1
		s.Questions = append(s.Questions, q)
	}
	rows.Close()
	orows, err := db.query(ctx, "SELECT o.id, o.question_id, o.pos, o.label FROM desk_options o JOIN desk_questions q ON q.id = o.question_id WHERE q.survey_id = ? ORDER BY o.pos, o.id", id)
	if err != nil {
		return s, err
	}
	defer orows.Close()
	for orows.Next() {
		var o desk.Option
		var qid int64
		if err := orows.Scan(&o.ID, &qid, &o.Pos, &o.Label); err != nil {
			return s, err
		}
		for i := range s.Questions {
			if s.Questions[i].ID == qid {
				s.Questions[i].Options = append(s.Questions[i].Options, o)
			}
		}
	}
	return s, orows.Err()
}

// Surveys lists the units' surveys, newest first (without questions).
func (db *DB) Surveys(ctx context.Context, unitIDs []int64) (_ []desk.Survey, err error) {
	defer errs.Op(&err, "store.Surveys")
	in, args := inList(unitIDs)
	return db.surveys(ctx, "SELECT "+surveyCols+" FROM desk_surveys WHERE unit_id IN "+in+" ORDER BY id DESC", args...)
}

// OpenSurveys lists the surveys a unit's portal shows: only open ones.
func (db *DB) OpenSurveys(ctx context.Context, unitID int64) (_ []desk.Survey, err error) {
	defer errs.Op(&err, "store.OpenSurveys")
	return db.surveys(ctx, "SELECT "+surveyCols+" FROM desk_surveys WHERE unit_id = ? AND state = ? ORDER BY opened_at DESC", unitID, desk.SurveyOpen)
}

func (db *DB) surveys(ctx context.Context, q string, args ...any) ([]desk.Survey, error) {
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []desk.Survey
	for rows.Next() {
		s, err := scanSurvey(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// surveyState locks a survey and returns its state.
func (t *Tx) surveyState(ctx context.Context, id int64) (string, error) {
	var st string
	err := t.row(ctx, "SELECT state FROM desk_surveys WHERE id = ?"+t.db.forUpdate(), id).Scan(&st)
	if err == sql.ErrNoRows {
		return "", errs.E(errs.NotFound, "问卷不存在")
	}
	return st, err
}

// AddQuestion appends a question to a draft survey.
func (db *DB) AddQuestion(ctx context.Context, actor audit.Actor, surveyID int64, q *desk.Question) (err error) {
	defer errs.Op(&err, "store.AddQuestion")
	return db.inTx(ctx, func(tx *Tx) error {
		st, err := tx.surveyState(ctx, surveyID)
		if err != nil {
			return err
		}
		if err := desk.SurveyStep(st, desk.SurveyEditQuestions, 0, time.Time{}, time.Time{}); err != nil {
			return err
		}
		var pos int
		if err := tx.row(ctx, "SELECT COALESCE(MAX(pos), 0) FROM desk_questions WHERE survey_id = ?", surveyID).Scan(&pos); err != nil {
			return err
		}
		q.SurveyID, q.Pos = surveyID, pos+1
		id, err := tx.insert(ctx, "INSERT INTO desk_questions (survey_id, pos, kind, text, required) VALUES (?, ?, ?, ?, ?)", surveyID, q.Pos, q.Kind, q.Text, boolInt(q.Required))
		if err != nil {
			return err
		}
		q.ID = id
		for i := range q.Options {
			oid, err := tx.insert(ctx, "INSERT INTO desk_options (question_id, pos, label) VALUES (?, ?, ?)", id, i+1, q.Options[i].Label)
			if err != nil {
				return err
			}
			q.Options[i].ID, q.Options[i].Pos = oid, i+1
		}
		return tx.appendAudit(ctx, actor, audit.Change{Action: "desk.question_add", ObjectType: "desk_survey", ObjectID: strconv.FormatInt(surveyID, 10),
			After: map[string]any{"question_id": id, "kind": q.Kind, "text": q.Text, "options": len(q.Options)}})
	})
}

// DeleteQuestion removes a question from a draft survey.
func (db *DB) DeleteQuestion(ctx context.Context, actor audit.Actor, surveyID, questionID int64) (err error) {
	defer errs.Op(&err, "store.DeleteQuestion")
	return db.inTx(ctx, func(tx *Tx) error {
		st, err := tx.surveyState(ctx, surveyID)
		if err != nil {
			return err
		}
		if err := desk.SurveyStep(st, desk.SurveyEditQuestions, 0, time.Time{}, time.Time{}); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, "DELETE FROM desk_options WHERE question_id IN (SELECT id FROM desk_questions WHERE id = ? AND survey_id = ?)", questionID, surveyID); err != nil {
			return err
		}
		r, err := tx.exec(ctx, "DELETE FROM desk_questions WHERE id = ? AND survey_id = ?", questionID, surveyID)
		if err != nil {
			return err
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return errs.E(errs.NotFound, "题目不存在")
		}
		return tx.appendAudit(ctx, actor, audit.Change{Action: "desk.question_delete", ObjectType: "desk_survey", ObjectID: strconv.FormatInt(surveyID, 10),
			Before: map[string]any{"question_id": questionID}})
	})
}

// OpenSurvey publishes a draft survey on the portal.
func (db *DB) OpenSurvey(ctx context.Context, actor audit.Actor, id int64) (err error) {
	defer errs.Op(&err, "store.OpenSurvey")
	return db.OpenSurveyAt(ctx, actor, id, db.Now())
}

// OpenSurveyAt is OpenSurvey with the time it opened (a survey moved from
// an earlier system, or the demo's year).
func (db *DB) OpenSurveyAt(ctx context.Context, actor audit.Actor, id int64, at time.Time) (err error) {
	defer errs.Op(&err, "store.OpenSurveyAt")
	return db.inTx(ctx, func(tx *Tx) error {
		st, err := tx.surveyState(ctx, id)
		if err != nil {
			return err
		}
		var n int
		if err := tx.row(ctx, "SELECT count(*) FROM desk_questions WHERE survey_id = ?", id).Scan(&n); err != nil {
			return err
		}
		if err := desk.SurveyStep(st, desk.SurveyStepOpen, n, time.Time{}, at); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, "UPDATE desk_surveys SET state = ?, opened_at = ? WHERE id = ?", desk.SurveyOpen, ts(at), id); err != nil {
			return err
		}
		return tx.appendAudit(ctx, actor, audit.Change{Action: "desk.survey_open", ObjectType: "desk_survey", ObjectID: strconv.FormatInt(id, 10),
			Before: map[string]any{"state": st}, After: map[string]any{"state": desk.SurveyOpen}})
	})
}

// CloseSurvey stops collecting answers.
func (db *DB) CloseSurvey(ctx context.Context, actor audit.Actor, id int64) (err error) {
	defer errs.Op(&err, "store.CloseSurvey")
	return db.CloseSurveyAt(ctx, actor, id, db.Now())
}

// CloseSurveyAt is CloseSurvey with the time it closed.
func (db *DB) CloseSurveyAt(ctx context.Context, actor audit.Actor, id int64, at time.Time) (err error) {
	defer errs.Op(&err, "store.CloseSurveyAt")
	return db.inTx(ctx, func(tx *Tx) error {
		st, err := tx.surveyState(ctx, id)
		if err != nil {
			return err
		}
		var opened string
		if err := tx.row(ctx, "SELECT opened_at FROM desk_surveys WHERE id = ?", id).Scan(&opened); err != nil {
			return err
		}
		if err := desk.SurveyStep(st, desk.SurveyStepClose, 0, mustTS(opened), at.UTC().Truncate(time.Microsecond)); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, "UPDATE desk_surveys SET state = ?, closed_at = ? WHERE id = ?", desk.SurveyClosed, ts(at), id); err != nil {
			return err
		}
		return tx.appendAudit(ctx, actor, audit.Change{Action: "desk.survey_close", ObjectType: "desk_survey", ObjectID: strconv.FormatInt(id, 10),
			Before: map[string]any{"state": st}, After: map[string]any{"state": desk.SurveyClosed}})
	})
}

// SubmitResponse stores a respondent's answers to an open survey, after
// the form guard (rate limit and one-use challenge).
func (db *DB) SubmitResponse(ctx context.Context, surveyID int64, answers []desk.Answer, g FormGuard) (err error) {
	defer errs.Op(&err, "store.SubmitResponse")
	return db.inTx(ctx, func(tx *Tx) error {
		var st string
		var unit int64
		err := tx.row(ctx, "SELECT state, unit_id FROM desk_surveys WHERE id = ?", surveyID).Scan(&st, &unit)
		if err == sql.ErrNoRows {
			return errs.E(errs.NotFound, "问卷不存在")
		}
		if err != nil {
			return err
		}
		if err := desk.SurveyStep(st, desk.SurveyStepAnswer, 0, time.Time{}, time.Time{}); err != nil {
			return err
		}
		if err := tx.formGuard(ctx, g); err != nil {
			return err
		}
		rid, err := tx.insert(ctx, "INSERT INTO desk_responses (survey_id, at) VALUES (?, ?)", surveyID, ts(db.Now()))
		if err != nil {
			return err
		}
		for _, a := range answers {
			if len(a.OptionIDs) == 0 {
				if _, err := tx.exec(ctx, "INSERT INTO desk_answers (response_id, question_id, text) VALUES (?, ?, ?)", rid, a.QuestionID, a.Text); err != nil {
					return err
				}
			}
			for _, o := range a.OptionIDs {
				if _, err := tx.exec(ctx, "INSERT INTO desk_answers (response_id, question_id, option_id) VALUES (?, ?, ?)", rid, a.QuestionID, o); err != nil {
					return err
				}
			}
		}
		return tx.appendAudit(ctx, audit.Actor{Name: audit.Public.Name, UnitID: unit}, audit.Change{Action: "desk.survey_response", ObjectType: "desk_survey",
			ObjectID: strconv.FormatInt(surveyID, 10), After: map[string]any{"response_id": rid, "answers": len(answers)}})
	})
}

// ImportSurveyResponses stores past responses (from an earlier system, or
// the demo's year) in one transaction, without the portal's form guard.
// Each must fall while the survey was open.
func (db *DB) ImportSurveyResponses(ctx context.Context, actor audit.Actor, surveyID int64, rs []desk.ResponseAt) (err error) {
	defer errs.Op(&err, "store.ImportSurveyResponses")
	return db.inTx(ctx, func(tx *Tx) error {
		var opened, closed string
		err := tx.row(ctx, "SELECT opened_at, closed_at FROM desk_surveys WHERE id = ?", surveyID).Scan(&opened, &closed)
		if err == sql.ErrNoRows {
			return errs.E(errs.NotFound, "问卷不存在")
		}
		if err != nil {
			return err
		}
		for _, r := range rs {
			at := ts(r.At)
			if err := desk.CheckImportedResponse(mustTS(opened), mustTS(closed), mustTS(at)); err != nil {
				return err
			}
			rid, err := tx.insert(ctx, "INSERT INTO desk_responses (survey_id, at) VALUES (?, ?)", surveyID, at)
			if err != nil {
				return err
			}
			for _, a := range r.Answers {
				if len(a.OptionIDs) == 0 {
					if _, err := tx.exec(ctx, "INSERT INTO desk_answers (response_id, question_id, text) VALUES (?, ?, ?)", rid, a.QuestionID, a.Text); err != nil {
						return err
					}
				}
				for _, o := range a.OptionIDs {
					if _, err := tx.exec(ctx, "INSERT INTO desk_answers (response_id, question_id, option_id) VALUES (?, ?, ?)", rid, a.QuestionID, o); err != nil {
						return err
					}
				}
			}
		}
		return tx.appendAudit(ctx, actor, audit.Change{Action: "desk.survey_import", ObjectType: "desk_survey", ObjectID: strconv.FormatInt(surveyID, 10),
			After: map[string]any{"responses": len(rs)}})
	})
}

// SurveyResults tallies a survey's answers per question: respondents who
// answered, each option's count, and the newest textLimit free-text answers.
func (db *DB) SurveyResults(ctx context.Context, id int64, textLimit int) (_ []desk.QuestionResult, err error) {
	defer errs.Op(&err, "store.SurveyResults")
	s, err := db.Survey(ctx, id)
	if err != nil {
		return nil, err
	}
	out := make([]desk.QuestionResult, len(s.Questions))
	idx := map[int64]int{}
	for i, q := range s.Questions {
		out[i] = desk.QuestionResult{Question: q, Counts: map[int64]int64{}}
		idx[q.ID] = i
	}
	rows, err := db.query(ctx, `SELECT a.question_id, count(DISTINCT a.response_id) FROM desk_answers a JOIN desk_questions q ON q.id = a.question_id
		WHERE q.survey_id = ? GROUP BY a.question_id`, id)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var qid, n int64
		if err := rows.Scan(&qid, &n); err != nil {
			rows.Close()
			return nil, err
		}
		out[idx[qid]].Answered = n
	}
	rows.Close()
	rows, err = db.query(ctx, `SELECT a.question_id, a.option_id, count(*) FROM desk_answers a JOIN desk_questions q ON q.id = a.question_id
		WHERE q.survey_id = ? AND a.option_id IS NOT NULL GROUP BY a.question_id, a.option_id`, id)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var qid, oid, n int64
		if err := rows.Scan(&qid, &oid, &n); err != nil {
			rows.Close()
			return nil, err
		}
		out[idx[qid]].Counts[oid] = n
	}
	rows.Close()
	for i, q := range s.Questions {
		if q.Kind != desk.QText {
			continue
		}
		out[i].TextN = out[i].Answered
		trows, err := db.query(ctx, "SELECT text FROM desk_answers WHERE question_id = ? AND option_id IS NULL ORDER BY id DESC LIMIT "+strconv.Itoa(textLimit), q.ID)
		if err != nil {
			return nil, err
		}
		for trows.Next() {
			var t string
			if err := trows.Scan(&t); err != nil {
				trows.Close()
				return nil, err
			}
			out[i].Texts = append(out[i].Texts, t)
		}
		trows.Close()
	}
	return out, nil
}
