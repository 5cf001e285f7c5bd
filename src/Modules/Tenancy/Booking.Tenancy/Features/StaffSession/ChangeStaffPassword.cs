using System.Text.Json.Serialization;
using Booking.BuildingBlocks.Platform;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Web;
using Booking.Tenancy.Data;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace Booking.Tenancy.Features.StaffSession;

/// <summary>A signed-in staff member changes their own password (owners and admins set others' only at creation).</summary>
public sealed record ChangeStaffPassword(string? CurrentPassword, string? NewPassword) : ICommand<ChangedStaffPassword>
{
    [JsonIgnore]
    public Guid StaffId { get; init; }

    /// <summary>The session the change is made from; it stays, the others end.</summary>
    [JsonIgnore]
    public string? CurrentSession { get; init; }
}

public sealed record ChangedStaffPassword(Guid Id, string Name, string Role);

public sealed class ChangeStaffPasswordValidator : AbstractValidator<ChangeStaffPassword>
{
    public ChangeStaffPasswordValidator()
    {
        RuleFor(x => x.CurrentPassword).NotEmpty().WithMessage("Enter your current password.")
            .MaximumLength(1024).WithMessage("Use at most 1024 characters.");
        RuleFor(x => x.NewPassword).Custom((password, context) =>
        {
            if (PasswordPolicy.Check(password) is { } message)
            {
                context.AddFailure(nameof(ChangeStaffPassword.NewPassword), message);
            }
        });
    }
}

/// <summary>
/// Needs the current password, and a wrong one counts towards the same lockout as sign-in (a session left open on a
/// shared computer must not become a way to guess it). Every other session of the staff member ends.
/// </summary>
public sealed class ChangeStaffPasswordHandler(
    TenancyDbContext db, PlatformDbContext platform, ITenantContext tenant, PasswordHashing passwords, PasswordThrottle throttle)
    : ICommandHandler<ChangeStaffPassword, ChangedStaffPassword>
{
    public async ValueTask<ChangedStaffPassword> Handle(ChangeStaffPassword command, CancellationToken cancellationToken)
    {
        var staff = await db.Staff.FirstOrDefaultAsync(s => s.Id == command.StaffId, cancellationToken)
            ?? throw ProblemException.Unauthenticated();
        await throttle.ThrowIfLockedAsync(db, staff.Email, cancellationToken);
        if (passwords.Verify(staff.PasswordHash, command.CurrentPassword!) == PasswordCheck.Wrong)
        {
            await throttle.RecordFailureAsync(db, staff.Email, cancellationToken);
            throw ProblemException.Invalid("currentPassword", "Your current password is not right.");
        }

        staff.PasswordHash = passwords.Hash(command.NewPassword!);
        await db.SaveChangesAsync(cancellationToken);
        await throttle.ClearAsync(db, staff.Email, cancellationToken);
        await PostgresTicketStore.EndAllAsync(platform, AuthSchemes.Staff, tenant.TenantId!.Value, staff.Id, cancellationToken, keep: command.CurrentSession ?? "");
        return new ChangedStaffPassword(staff.Id, staff.Name, staff.Role);
    }
}

public static class ChangeStaffPasswordEndpoint
{
    public static void MapChangeStaffPassword(this IEndpointRouteBuilder app) =>
        app.MapPut("/api/v1/staff/me/password", async (ChangeStaffPassword body, ISender sender, HttpContext http, CancellationToken ct) =>
            {
                await sender.Send(body with { StaffId = http.User.SubjectId(), CurrentSession = PostgresTicketStore.CurrentKey(http, AuthSchemes.Staff) }, ct);
                return Results.NoContent();
            })
            .RequireStaff()
            .WithName("ChangeStaffPassword")
            .WithTags("Staff")
            .Accepts<ChangeStaffPassword>("application/json")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesValidationProblem();
}
