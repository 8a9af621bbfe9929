package store

import (
	"context"

	"gongkai/internal/audit"
	"gongkai/internal/desk"
	"gongkai/internal/org"
	"gongkai/internal/requests"
)

// authorize applies the access policy (org.Policy) inside a write
// transaction: the actor may take action a in unit unitID only if the
// roles granted to the account there, as the transaction reads them, allow
// it — a role withdrawn or an account disabled a moment ago counts. The
// system (the command line, jobs, the demo: no account, not the public)
// acts for the operator and is not limited; the public may take no staff
// action.
func (t *Tx) authorize(ctx context.Context, actor audit.Actor, unitID int64, a org.Action) error {
	if actor.UserID == 0 {
		if actor.Name == audit.Public.Name {
			return org.Refusal(a)
		}
		return nil
	}
	roles, err := t.rolesIn(ctx, actor.UserID, unitID)
	if err != nil {
		return err
	}
	if !org.Allows(roles, a) {
		return org.Refusal(a)
	}
	return nil
}

// authorizeSettings decides whether the actor may change the unit's
// settings keys (org.AuthorizeSettings on the roles held there now).
func (t *Tx) authorizeSettings(ctx context.Context, actor audit.Actor, unitID int64, keys []string) error {
	who := org.SettingsActor{}
	if actor.UserID == 0 {
		who.Public = actor.Name == audit.Public.Name
		who.System = !who.Public
	} else {
		roles, err := t.rolesIn(ctx, actor.UserID, unitID)
		if err != nil {
			return err
		}
		who.Roles = roles
	}
	return org.AuthorizeSettings(who, keys)
}

// authorizeApplicant decides whether the actor may read an application's
// applicant details (its identity number, files, letters): the unit's
// handlers (org.ActRequestApplicant); the applicant himself reads his
// letters through the query code, as the system acting for him.
func (t *Tx) authorizeApplicant(ctx context.Context, actor audit.Actor, applicationID int64) error {
	var unitID int64
	if err := t.row(ctx, "SELECT unit_id FROM req_applications WHERE id = ?", applicationID).Scan(&unitID); err != nil {
		return err
	}
	return t.authorizeApplicantIn(ctx, actor, unitID)
}

// authorizeApplicantIn is authorizeApplicant for an application of the unit
// (requests.AuthorizeApplicant on the roles held there now).
func (t *Tx) authorizeApplicantIn(ctx context.Context, actor audit.Actor, unitID int64) error {
	who, err := t.requestActor(ctx, actor, unitID)
	if err != nil {
		return err
	}
	return requests.AuthorizeApplicant(who)
}

// requestActor is the actor as the rules of applications (requests.Authorize)
// see him: the roles he holds in the unit as the transaction reads them, or
// the system, or the applicant on the portal.
func (t *Tx) requestActor(ctx context.Context, actor audit.Actor, unitID int64) (requests.Actor, error) {
	if actor.UserID == 0 {
		public := actor.Name == audit.Public.Name
		return requests.Actor{System: !public, Public: public}, nil
	}
	roles, err := t.rolesIn(ctx, actor.UserID, unitID)
	if err != nil {
		return requests.Actor{}, err
	}
	return requests.Actor{UserID: actor.UserID, Roles: roles}, nil
}

// rolesIn reads, in the transaction, the roles an account holds in a unit
// (none for a disabled account), for the rules that decide on them.
func (t *Tx) rolesIn(ctx context.Context, userID, unitID int64) ([]org.Role, error) {
	rows, err := t.query(ctx, `SELECT r.role FROM user_roles r JOIN users u ON u.id = r.user_id
		WHERE r.user_id = ? AND r.unit_id = ? AND u.disabled = 0`, userID, unitID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var roles []org.Role
	for rows.Next() {
		var r org.Role
		if err := rows.Scan(&r); err != nil {
			return nil, err
		}
		roles = append(roles, r)
	}
	return roles, rows.Err()
}

// deskActor is the actor as the desk's rules (desk.Authorize) see him: the
// roles he holds in the unit as the transaction reads them, or the system,
// or the public.
func (t *Tx) deskActor(ctx context.Context, actor audit.Actor, unitID int64) (desk.Actor, error) {
	if actor.UserID == 0 {
		public := actor.Name == audit.Public.Name
		return desk.Actor{System: !public, Public: public}, nil
	}
	roles, err := t.rolesIn(ctx, actor.UserID, unitID)
	if err != nil {
		return desk.Actor{}, err
	}
	return desk.Actor{UserID: actor.UserID, Roles: roles}, nil
}

// authorizeAccounts decides whether the actor may manage accounts in the
// units of targets (org.AuthorizeAccounts), on the units he administers
// and the units' tree as the transaction reads them.
func (t *Tx) authorizeAccounts(ctx context.Context, actor audit.Actor, targets []int64) error {
	who := org.AccountsActor{}
	if actor.UserID == 0 {
		who.Public = actor.Name == audit.Public.Name
		who.System = !who.Public
	} else {
		admin, err := t.ids(ctx, `SELECT r.unit_id FROM user_roles r JOIN users u ON u.id = r.user_id
			WHERE r.user_id = ? AND r.role = ? AND u.disabled = 0`, actor.UserID, string(org.RoleAdmin))
		if err != nil {
			return err
		}
		who.Admin = admin
	}
	rows, err := t.query(ctx, "SELECT "+unitCols+" FROM units ORDER BY id")
	if err != nil {
		return err
	}
	units, err := scanUnits(rows)
	if err != nil {
		return err
	}
	return org.AuthorizeAccounts(who, units, targets)
}
