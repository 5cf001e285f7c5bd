using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Web;
using Booking.Tenancy.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Booking.Tenancy.Features.StaffPasswordReset;

/// <summary>
/// An owner or admin sends a team member the forgot-password email (Setup → Team's "Send password reset link").
/// <paramref name="ActorRole"/> is the sender's role: only an owner may send one to an owner.
/// </summary>
public sealed record SendStaffPasswordReset(Guid StaffId, string Ip, string ActorRole) : ICommand<StaffResetSent>;

/// <summary>
/// What the member is being sent, judged as the request is made (decision 265): <c>password-reset</c>, or
/// <c>invitation</c> for someone invited who has not chosen a password yet (decision 257: they get their invitation again,
/// its link 7 days). <paramref name="Email"/>: the address it goes to.
/// </summary>
public sealed record StaffResetSent(string Sent, string Email)
{
    public const string PasswordReset = "password-reset";
    public const string Invitation = "invitation";
}

/// <summary>
/// The forgot-password path from the staff member's id instead of a typed address: the same request row, limits and
/// background step (<see cref="StaffPasswordResetAskedHandler"/> makes the link and publishes the email), so the link
/// lives as long and the address gets at most the same 3 links an hour, however they are asked for. Unlike the
/// anonymous form, the sender is told when that limit stops it (rate-limited): they know the address is on the team.
/// Another business's id is not found under the tenant filter (404). An admin may not send one to an owner (403
/// <c>forbidden</c>, nothing recorded): owners are the owners' business, as on the rest of Team, and a reset link
/// mailed to an owner at an admin's asking is a nudge towards handing over the account. The answer says what goes
/// (<see cref="StaffResetSent"/>): the background step sends an invited member their invitation again (decision 257), so
/// the sender is told that, not that a reset link went. It is judged from the member's row now; the background step
/// looks again under the row's lock, and an invitation accepted in between (the person has a password from then) gets
/// a reset link, as it should.
/// </summary>
public sealed class SendStaffPasswordResetHandler(TenancyDbContext db, ITenantContext tenant, PasswordResetLimits limits, TimeProvider clock)
    : ICommandHandler<SendStaffPasswordReset, StaffResetSent>
{
    public async ValueTask<StaffResetSent> Handle(SendStaffPasswordReset command, CancellationToken cancellationToken)
    {
        var member = await db.Staff.AsNoTracking().Where(s => s.Id == command.StaffId).Select(s => new { s.Email, s.Role, Invited = s.InvitedAt != null })
            .FirstOrDefaultAsync(cancellationToken)
            ?? throw ProblemException.NotFound("No such staff member.");
        if (member.Role == StaffRoles.Owner && command.ActorRole != StaffRoles.Owner)
        {
            throw ProblemException.Forbidden("Only an owner can send an owner a password reset link. The owner can ask for one themselves from the staff sign-in page.");
        }

        var email = member.Email;
        if (!await StaffResetRequests.HandOnAsync(db, tenant.TenantId!.Value, email, command.Ip, limits, clock, cancellationToken))
        {
            throw ProblemException.RateLimited((int)PasswordResets.CountingWindow.TotalSeconds,
                $"{limits.ResetEmailsPerAddressPerHour} reset links went to this address in the last hour. Wait before sending another.");
        }

        return new StaffResetSent(member.Invited ? StaffResetSent.Invitation : StaffResetSent.PasswordReset, email);
    }
}
