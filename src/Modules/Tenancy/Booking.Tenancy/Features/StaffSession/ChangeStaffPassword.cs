using System.Text.Json.Serialization;
using Booking.BuildingBlocks.Platform;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Web;
using Booking.Tenancy.Data;
using Booking.Tenancy.Features.StaffPasswordReset;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace Booking.Tenancy.Features.StaffSession;

/// <summary>A signed-in staff member changes their own password (owners and admins set others' only at creation).</summary>
public sealed record ChangeStaffPassword(string? CurrentPassword, string? NewPassword) : ICommand<StaffPasswordSet>
{
    [JsonIgnore]
    public Guid StaffId { get; init; }

    /// <summary>The session the change is made from; it stays, the others end.</summary>
    [JsonIgnore]
    public string? CurrentSession { get; init; }
}

public sealed class ChangeStaffPasswordValidator : AbstractValidator<ChangeStaffPassword>
{
    public ChangeStaffPasswordValidator()
    {
        RuleFor(x => x.CurrentPassword).NotEmpty().WithMessage("Enter your current password.")
            .MaximumLength(1024).WithMessage("Use at most 1024 characters.");
        RuleFor(x => x.NewPassword).AcceptablePassword();
    }
}

/// <summary>
/// Needs the current password, and a wrong one is counted for the session it is tried from (a session left open on a
/// shared computer must not become a way to guess it; <see cref="PasswordThrottle.VerifyCurrentAsync"/>), so a lockout
/// others caused on the address does not refuse the staff member's own session. Every other session of the staff
/// member ends, and every device cookie made under the old password; this browser gets a new one. Their emailed links
/// end too (decision 331, as a reset's do): a change of their sign-in email waiting for its link, and unused reset links,
/// so a link someone at a session the change ends asked for cannot take the account back afterwards.
/// </summary>
public sealed class ChangeStaffPasswordHandler(
    TenancyDbContext db, ITenantContext tenant, PasswordHashing passwords, PasswordThrottle throttle, TrustedDevices devices, TimeProvider clock)
    : ICommandHandler<ChangeStaffPassword, StaffPasswordSet>
{
    public async ValueTask<StaffPasswordSet> Handle(ChangeStaffPassword command, CancellationToken cancellationToken)
    {
        var staff = await db.Staff.FirstOrDefaultAsync(s => s.Id == command.StaffId, cancellationToken)
            ?? throw ProblemException.Unauthenticated();
        await throttle.VerifyCurrentAsync(db, passwords, staff.Email, staff.PasswordHash, command.CurrentPassword!, command.CurrentSession, cancellationToken);

        // The other sessions end with the change, in its transaction (decision 271); begun after the check, so a wrong
        // current password's count is kept.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        staff.PasswordHash = passwords.Hash(command.NewPassword!);
        await db.SaveChangesAsync(cancellationToken);
        var now = clock.GetUtcNow();
        await db.StaffEmailConfirmations.Where(t => t.StaffId == staff.Id && t.UsedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.UsedAt, now), cancellationToken);
        await db.StaffResetTokens.Where(t => t.StaffId == staff.Id && t.UsedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.UsedAt, now), cancellationToken);
        await StaffSignIn.StaffSessions.EndAllInTransactionAsync(db, tenant.TenantId!.Value, staff.Id, cancellationToken, keep: command.CurrentSession);
        await transaction.CommitAsync(cancellationToken);
        await throttle.ClearAsync(db, staff.Email, cancellationToken);
        return new StaffPasswordSet(devices.Issue(DeviceArea.Staff, tenant.TenantId!.Value, staff.Email, staff.PasswordHash));
    }
}

public static class ChangeStaffPasswordEndpoint
{
    public static void MapChangeStaffPassword(this IEndpointRouteBuilder app) =>
        app.MapPut("/api/v1/staff/me/password", async (ChangeStaffPassword body, ISender sender, TrustedDevices devices, HttpContext http, CancellationToken ct) =>
            {
                var set = await sender.Send(body with { StaffId = http.User.SubjectId(), CurrentSession = PostgresTicketStore.CurrentKey(http, AuthSchemes.Staff) }, ct);
                devices.Keep(http, DeviceArea.Staff, set.DeviceToken);
                return Results.NoContent();
            })
            .RequireStaff()
            .Answers(429, ProblemKinds.RateLimited) // ten wrong current passwords from this session
            .WithName("ChangeStaffPassword")
            .WithTags("Staff")
            .Accepts<ChangeStaffPassword>("application/json")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesValidationProblem();
}
