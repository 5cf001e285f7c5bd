using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Tenancy;
using Booking.Tenancy.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Booking.Tenancy.Features.StaffPasswordReset;

/// <summary>An owner or admin sends a team member the forgot-password email (Setup → Team's "Send password reset link").</summary>
public sealed record SendStaffPasswordReset(Guid StaffId, string Ip) : ICommand;

/// <summary>
/// The forgot-password path from the staff member's id instead of a typed address: the same request row, limits and
/// background step (<see cref="StaffPasswordResetAskedHandler"/> makes the link and publishes the email), so the link
/// lives as long and the address gets at most the same 3 links an hour, however they are asked for. Unlike the
/// anonymous form, the sender is told when that limit stops it (rate-limited): they know the address is on the team.
/// Another business's id is not found under the tenant filter (404).
/// </summary>
public sealed class SendStaffPasswordResetHandler(TenancyDbContext db, ITenantContext tenant, PasswordResetLimits limits, TimeProvider clock)
    : ICommandHandler<SendStaffPasswordReset>
{
    public async ValueTask<Unit> Handle(SendStaffPasswordReset command, CancellationToken cancellationToken)
    {
        var email = await db.Staff.AsNoTracking().Where(s => s.Id == command.StaffId).Select(s => s.Email).FirstOrDefaultAsync(cancellationToken)
            ?? throw ProblemException.NotFound("No such staff member.");
        if (!await StaffResetRequests.HandOnAsync(db, tenant.TenantId!.Value, email, command.Ip, limits, clock, cancellationToken))
        {
            throw ProblemException.RateLimited((int)PasswordResets.CountingWindow.TotalSeconds,
                $"{limits.ResetEmailsPerAddressPerHour} reset links went to this address in the last hour. Wait before sending another.");
        }

        return Unit.Value;
    }
}
