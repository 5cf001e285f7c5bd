using Booking.BuildingBlocks.Problems;
using System.Text.Json.Serialization;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Tenancy;
using Booking.PortalAuth.Data;
using Booking.PortalAuth.Domain;
using Booking.PortalAuth.Features.FirstRequestGate;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Booking.PortalAuth.Features.SignIn;

public sealed record PortalSignIn(string? Email, string? Password) : ICommand<SignedInClient>
{
    /// <summary>Trimmed before the validator checks it and before it is looked up.</summary>
    public string? Email { get; init; } = EmailAddress.Tidy(Email);

    /// <summary>The device cookie the browser presented (<see cref="TrustedDevices"/>), if any.</summary>
    [JsonIgnore]
    public string? DeviceToken { get; init; }

    /// <summary>The client address the try is counted against (<c>ClientAddress.ClientIp</c>, decision 272); set by the endpoint and the page.</summary>
    [JsonIgnore]
    public string Ip { get; init; } = "unknown";
}

/// <summary>
/// API.md's answer (<c>id</c>, <c>firstName</c>, <c>lastName</c>) plus where the client stands, as <c>phone/verify</c>'s
/// <c>signed-in</c> says it (<see cref="ClientStanding"/>, read from the same row): <c>clientStatus</c> and
/// <c>awaitingFirstRequest</c>.
/// </summary>
public sealed record SignedInClient(Guid Id, string FirstName, string LastName,
    [property: System.Text.Json.Serialization.JsonIgnore] ClientStanding Standing)
{
    /// <summary><c>active</c>, or <c>pending-approval</c> while the business has not approved the client (their bookings are requests).</summary>
    public string ClientStatus => Standing.Status;

    /// <summary>A phone new client who has not sent their first booking request: only the booking flow answers until they do.</summary>
    public bool AwaitingFirstRequest => Standing.AwaitingFirstRequest;

    /// <summary>The device cookie to leave in the browser: a new token naming this address and password at this business.</summary>
    [JsonIgnore]
    public string DeviceToken { get; init; } = "";
}

public sealed class PortalSignInValidator : AbstractValidator<PortalSignIn>
{
    public PortalSignInValidator()
    {
        RuleFor(x => x.Email).Must(EmailAddress.IsValid).WithMessage("Enter a valid email address.");
        RuleFor(x => x.Password).NotEmpty().WithMessage("Enter your password.")
            .MaximumLength(1024).WithMessage("Use at most 1024 characters.");
    }
}

/// <summary>
/// Unknown email, a client without a password and a wrong password answer alike and take the same time (a dummy
/// hash is verified), and all count towards the address's lockout, so sign-in reveals nothing about who is a client.
/// A try with a valid device cookie for the address, made under the password the client has now, is counted for that
/// device alone (<see cref="PasswordThrottle"/>); the client's row is read first to tell. A try without one is first
/// counted against the client address, across addresses and businesses (<see cref="IPasswordSprayCap"/>, decision 272).
/// </summary>
public sealed class PortalSignInHandler(
    PortalAuthDbContext db, ITenantContext tenant, IPortalRules portal, PasswordHashing passwords, PasswordThrottle throttle, TrustedDevices devices, IPasswordSprayCap spray, ISender sender)
    : ICommandHandler<PortalSignIn, SignedInClient>
{
    public async ValueTask<SignedInClient> Handle(PortalSignIn command, CancellationToken cancellationToken)
    {
        if (!(await portal.GetAsync(cancellationToken)).EmailSignIn)
        {
            throw PortalProblems.MethodOff("email and password");
        }

        var email = command.Email!.ToLowerInvariant();
        var tenantId = tenant.TenantId!.Value;
        var client = await db.Clients.FirstOrDefaultAsync(c => c.Email == email, cancellationToken);
        var device = devices.Nonce(DeviceArea.Portal, command.DeviceToken, tenantId, email, client?.PasswordHash);
        var sprayTry = device is null ? await spray.BeginTryAsync(PasswordSprayAreas.Portal, command.Ip, cancellationToken) : (Guid?)null;
        var judged = await PasswordSprayTries.ThenAsync(spray, sprayTry, () => throttle.BeginTryAsync(db, email, device, cancellationToken), cancellationToken);
        var check = passwords.Verify(client?.PasswordHash, command.Password!);
        if (client is null || check == PasswordCheck.Wrong)
        {
            throw ProblemException.Unauthenticated("The email or password is not right.");
        }

        if (sprayTry is { } counted)
        {
            await spray.NotAFailureAsync(counted, cancellationToken); // right: not a failure, and no other failure is taken off
        }

        if (check == PasswordCheck.RightNeedsRehash)
        {
            client.PasswordHash = passwords.Hash(command.Password!);
            await db.SaveChangesAsync(cancellationToken);
        }

        await throttle.ClearAsync(db, judged, cancellationToken);
        return new SignedInClient(client.Id, client.FirstName, client.LastName, await FirstRequestOwed.StandingAsync(sender, portal, client, cancellationToken))
        {
            DeviceToken = devices.Issue(DeviceArea.Portal, tenantId, email, client.PasswordHash!),
        };
    }
}
