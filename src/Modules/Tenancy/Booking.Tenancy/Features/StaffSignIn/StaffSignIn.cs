using Booking.BuildingBlocks.Problems;
using System.Text.Json.Serialization;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Tenancy;
using Booking.Tenancy.Data;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Booking.Tenancy.Features.StaffSignIn;

public sealed record StaffSignIn(string? Email, string? Password) : ICommand<SignedInStaff>
{
    /// <summary>Trimmed before the validator checks it and before it is looked up, as the client portal's sign-in does.</summary>
    public string? Email { get; init; } = EmailAddress.Tidy(Email);

    /// <summary>The device cookie the browser presented (<see cref="TrustedDevices"/>), if any.</summary>
    [JsonIgnore]
    public string? DeviceToken { get; init; }

    /// <summary>The client address the try is counted against (<c>ClientAddress.ClientIp</c>, decision 272); set by the endpoint and the page.</summary>
    [JsonIgnore]
    public string Ip { get; init; } = "unknown";
}

public sealed record SignedInStaff(Guid Id, string Name, string Role)
{
    /// <summary>The row's <see cref="Domain.StaffMember.SecurityStamp"/> as read before the password's check: the session is stored only under it.</summary>
    [JsonIgnore]
    public int SecurityStamp { get; init; }

    /// <summary>The device cookie to leave in the browser: a new token naming this address and password at this business.</summary>
    [JsonIgnore]
    public string DeviceToken { get; init; } = "";
}

public sealed class StaffSignInValidator : AbstractValidator<StaffSignIn>
{
    public StaffSignInValidator()
    {
        RuleFor(x => x.Email).Must(EmailAddress.IsValid).WithMessage("Enter a valid email address.");
        RuleFor(x => x.Password).NotEmpty().WithMessage("Enter your password.")
            .MaximumLength(1024).WithMessage("Use at most 1024 characters.");
    }
}

/// <summary>
/// Unknown email and wrong password answer alike, in the same time (a dummy hash is verified), and count
/// towards the same lockout, so sign-in reveals nothing about who has an account. A try with a valid device cookie
/// for the address, made under the password the staff member has now, is counted for that device alone
/// (<see cref="PasswordThrottle"/>); the staff row is read first to tell. A try without one is first counted against the
/// client address, across addresses and businesses (<see cref="IPasswordSprayCap"/>, decision 272).
/// </summary>
/// <remarks>
/// Someone invited who has not chosen a password yet (decision 257) gets that same answer: telling them "you have not
/// chosen a password yet" would tell anyone who types their address that it is on the team (invited), which the answer for
/// an unknown address hides. So the one answer for every failure carries the hint for them (<see cref="WrongCredentials"/>).
/// </remarks>
public sealed class StaffSignInHandler(TenancyDbContext db, ITenantContext tenant, PasswordHashing passwords, PasswordThrottle throttle, TrustedDevices devices,
    IPasswordSprayCap spray)
    : ICommandHandler<StaffSignIn, SignedInStaff>
{
    /// <summary>The one answer to an unknown address, a wrong password and an invited member's try alike.</summary>
    public const string WrongCredentials = "The email or password is not right. If you were invited to the team and haven't chosen a password yet, "
        + "use the link in your invitation email, or \"Forgot your password?\" to get a new invitation.";

    public async ValueTask<SignedInStaff> Handle(StaffSignIn command, CancellationToken cancellationToken)
    {
        var email = command.Email!.ToLowerInvariant();
        var tenantId = tenant.TenantId!.Value;
        var staff = await db.Staff.FirstOrDefaultAsync(s => s.Email == email, cancellationToken);
        var device = devices.Nonce(DeviceArea.Staff, command.DeviceToken, tenantId, email, staff?.PasswordHash);
        var sprayTry = device is null ? await spray.BeginTryAsync(PasswordSprayAreas.Staff, command.Ip, cancellationToken) : (Guid?)null;
        var judged = await PasswordSprayTries.ThenAsync(spray, sprayTry, () => throttle.BeginTryAsync(db, email, device, cancellationToken), cancellationToken);
        var check = passwords.Verify(staff?.PasswordHash, command.Password!);
        if (staff is null || check == PasswordCheck.Wrong)
        {
            throw ProblemException.Unauthenticated(WrongCredentials);
        }

        if (sprayTry is { } counted)
        {
            await spray.NotAFailureAsync(counted, cancellationToken); // right: not a failure, and no other failure is taken off
        }

        if (check == PasswordCheck.RightNeedsRehash)
        {
            staff.PasswordHash = passwords.Hash(command.Password!);
            await db.SaveChangesAsync(cancellationToken);
        }

        await throttle.ClearAsync(db, judged, cancellationToken);
        return new SignedInStaff(staff.Id, staff.Name, staff.Role)
        {
            DeviceToken = devices.Issue(DeviceArea.Staff, tenantId, email, staff.PasswordHash),
            SecurityStamp = staff.SecurityStamp,
        };
    }
}
