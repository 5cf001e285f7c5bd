using System.Text.Json.Serialization;
using Booking.BuildingBlocks.Contracts;
using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Web;
using Booking.Tenancy.Contracts;
using Booking.Tenancy.Data;
using Booking.Tenancy.Domain;
using Booking.Tenancy.Features.StaffInvitation;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Booking.Tenancy.Features.StaffPasswordReset;

/// <summary>A staff member who forgot their password asks for a link (staff sign-in's "Forgot your password?").</summary>
public sealed record ForgotStaffPassword(string? Email) : ICommand
{
    /// <summary>Trimmed before the validator checks it and before it is looked up.</summary>
    public string? Email { get; init; } = EmailAddress.Tidy(Email);

    [JsonIgnore]
    public string Ip { get; init; } = "unknown";
}

public sealed class ForgotStaffPasswordValidator : AbstractValidator<ForgotStaffPassword>
{
    public ForgotStaffPasswordValidator() =>
        RuleFor(x => x.Email).Must(EmailAddress.IsValid).WithMessage("Enter a valid email address.");
}

/// <summary>
/// The client portal's forgot-password (decision 100) for staff: always the same answer after the same work. The
/// request never looks the address up; it counts and records the request (per address: over the limit it sends
/// nothing and still answers 202; per IP: rate-limited) and hands it to the background with
/// <see cref="StaffPasswordResetAsked"/> in the same transaction.
/// </summary>
public sealed class ForgotStaffPasswordHandler(TenancyDbContext db, ITenantContext tenant, PasswordResetLimits limits, TimeProvider clock)
    : ICommandHandler<ForgotStaffPassword>
{
    public async ValueTask<Unit> Handle(ForgotStaffPassword command, CancellationToken cancellationToken)
    {
        // Over the per-address limit nothing is sent; the answer must not say so.
        await StaffResetRequests.HandOnAsync(db, tenant.TenantId!.Value, command.Email!.ToLowerInvariant(), command.Ip, limits, clock, cancellationToken);
        return Unit.Value;
    }
}

/// <summary>Staff's use of the shared forgot-password step: its locks, its table, its event (the forgot page and the Team page's send).</summary>
internal static class StaffResetRequests
{
    /// <summary>True when handed on (<see cref="StaffPasswordResetAsked"/>); false over the per-address limit.</summary>
    public static Task<bool> HandOnAsync(TenancyDbContext db, Guid tenantId, string email, string ip, PasswordResetLimits limits, TimeProvider clock, CancellationToken cancellationToken) =>
        PasswordResets.HandOnAsync<StaffPasswordResetRequest>(db, tenantId, "staff-reset", email, ip, limits, clock,
            () => new StaffPasswordResetAsked(Guid.CreateVersion7(), tenantId, email), cancellationToken);
}

/// <summary>A staff forgot-password request within the limits, to be answered in the background. Tenancy's own; no other module reads it.</summary>
public sealed record StaffPasswordResetAsked(Guid EventId, Guid TenantId, string Email) : IIntegrationEvent;

/// <summary>
/// Off the request: looks the address up among the business's staff and, for a staff member, stores a reset token
/// (its hash) and asks Notifications to email the link (<see cref="StaffPasswordResetRequested"/>), in one
/// transaction with the processed mark. Someone invited who has not chosen a password yet (decision 257) has none to
/// reset: they get their invitation again instead, as Team's "Send the invitation again" sends it (the invitation's
/// wording and 7-day link, kind <c>staff-invitation</c>; their earlier links end), under the lock on their row that the
/// invitation's use takes, so one accepted at this moment gets a reset link as anyone with a password.
/// </summary>
public sealed class StaffPasswordResetAskedHandler(TenancyDbContext db, ITenantContext tenant, PasswordResetLimits limits, TimeProvider clock, PublicOrigin origin,
    IDataProtectionProvider protection, StaffInvitationLimits invitationLimits)
    : INotificationHandler<StaffPasswordResetAsked>
{
    public async ValueTask Handle(StaffPasswordResetAsked evt, CancellationToken cancellationToken)
    {
        if (!await db.TryMarkProcessedAsync(evt.EventId, nameof(StaffPasswordResetAskedHandler), cancellationToken))
        {
            return;
        }

        var staff = await db.Staff.AsNoTracking().FirstOrDefaultAsync(s => s.Email == evt.Email, cancellationToken);
        if (staff is { InvitedAt: not null })
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await PasswordResets.LockPersonAsync(db, "tenancy.staff_members", staff.Id, cancellationToken);
            var invited = await db.Staff.FirstOrDefaultAsync(s => s.Id == staff.Id && s.Email == evt.Email && s.InvitedAt != null, cancellationToken);
            if (invited is not null)
            {
                // Nobody acts here: the email names whoever sent the latest invitation (null keeps that name).
                await StaffInvitations.IssueAsync(db, invited, invitedBy: null, tenant, invitationLimits, origin, protection, clock.GetUtcNow(), cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return;
            }

            await transaction.RollbackAsync(cancellationToken);
            staff = await db.Staff.AsNoTracking().FirstOrDefaultAsync(s => s.Email == evt.Email, cancellationToken); // accepted (or changed) meanwhile
        }

        if (staff is not null)
        {
            var (reset, token) = PasswordResets.NewLink<StaffPasswordResetToken>(limits, clock);
            reset.StaffId = staff.Id;
            reset.SentTo = staff.Email; // redeeming it checks this is still the person's sign-in email
            db.StaffResetTokens.Add(reset);
            var business = tenant.Current!;
            // The configured origin, never a request's Host header (decision 66).
            var url = $"{origin.Value}/staff/reset-password?name={Uri.EscapeDataString(business.Slug)}&token={token}";
            db.Publish(new StaffPasswordResetRequested(Guid.CreateVersion7(), business.Id, staff.Id, staff.Email, staff.Name,
                ProtectedResetLinks.Protect(protection, url), reset.ExpiresAt)); // encrypted: the outbox and the job keep no working link
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
