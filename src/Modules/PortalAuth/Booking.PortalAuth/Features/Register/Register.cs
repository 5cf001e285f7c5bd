using System.Text.Json.Serialization;
using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Platform;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Tenancy;
using Booking.PortalAuth.Contracts;
using Booking.PortalAuth.Data;
using Booking.PortalAuth.Domain;
using Booking.PortalAuth.Sms;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Booking.PortalAuth.Features.Register;

public sealed record Register(string? FirstName, string? LastName, string? Email, string? Password, string? Mobile) : ICommand<RegisteredClient>
{
    /// <summary>Trimmed before the validator checks it and before it is stored.</summary>
    public string? Email { get; init; } = EmailAddress.Tidy(Email);

    /// <summary>
    /// The mobile is known to be the client's (the demo seed; staff). Never from a request body: a mobile typed at
    /// registration is unproven, and phone sign-in must not treat it as on file.
    /// </summary>
    [JsonIgnore]
    public bool MobileVerified { get; init; }

    /// <summary>The client address the registration is counted against (<c>ClientAddress.ClientIp</c>); set by the endpoint and the page.</summary>
    [JsonIgnore]
    public string Ip { get; init; } = "unknown";
}

public sealed record RegisteredClient(Guid Id, string Status)
{
    /// <summary>
    /// Registration only (null, and left out of the answer, elsewhere): true when the registration gave a mobile and the
    /// business offers phone sign-in. The mobile is not one the client can sign in with until they prove it by a code
    /// (<c>POST /api/v1/portal/me/mobile/start</c>, Your details). Said alike whether or not another client has the
    /// number: the answer never tells that (PRODUCT.md: the code is sent and checked before we reveal whether the phone
    /// is on file).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? VerifyMobile { get; init; }

    /// <summary>
    /// After a registration with a password, the device cookie to leave in the browser, as a sign-in leaves it
    /// (<see cref="TrustedDevices"/>); null where no password was set (a phone new client).
    /// </summary>
    [JsonIgnore]
    public string? DeviceToken { get; init; }
}

/// <summary>
/// Scoped, not a singleton like the module's other validators: it reads the mobile with the business's country, from
/// the unit of work's tenant context, the one the handler reads it from. (It read the country through the HTTP
/// context, so a Register sent outside a request, from a job or a test, had no country and refused every national
/// number; and a singleton reading request state is one mistake away from another request's.)
/// </summary>
public sealed class RegisterValidator : AbstractValidator<Register>
{
    public RegisterValidator(ITenantContext tenant, PortalAuthDbContext db, IPortalRules portal, RegistrationCount count)
    {
        // The mobile is read as the handler reads it (RegisterHandler.ReadMobile), here so that a bad mobile is reported
        // with every other bad field at once.
        RuleFor(x => x.Mobile)
            .Must(m => string.IsNullOrWhiteSpace(m) || RegisterHandler.ReadMobile(m, tenant) is not null)
            .WithMessage((_, m) => RegisterHandler.MobileRefusal(m, tenant));
        RuleFor(x => x.FirstName).NotEmpty().WithMessage("Enter your first name.").MaximumLength(100).WithMessage("Use at most 100 characters.").OneLine();
        RuleFor(x => x.LastName).NotEmpty().WithMessage("Enter your last name.").MaximumLength(100).WithMessage("Use at most 100 characters.").OneLine();
        RuleFor(x => x.Email).Must(EmailAddress.IsValid).WithMessage("Enter a valid email address.");
        RuleFor(x => x.Password).AcceptablePassword();

        // An email already on file is said with every other bad field at once, not only once the rest passed; only
        // where the business takes registrations (else the handler's refusal says so, and nothing tells whether the
        // address is on file). The handler checks again, and the unique index decides a race. A mobile on file is never
        // said: it would tell anyone whether a phone is a client of the business (RegisterHandler).
        // The answer tells whether the address is a client's, so the attempt is counted against the address's
        // registration caps first, whatever the look finds (RegistrationCount): unlimited, it was an oracle of which
        // emails are clients'. Counted only when the look is made, the same for a taken and a free address, so a
        // refusal past the cap tells nothing either.
        RuleFor(x => x.Email)
            .MustAsync(async (command, email, ct) =>
            {
                await count.CountAsync(command, ct);
                var stored = email!.ToLowerInvariant();
                return !await db.Clients.AnyAsync(c => c.Email == stored, ct);
            })
            .WhenAsync(async (x, ct) => EmailAddress.IsValid(x.Email) && await TakesRegistrationsAsync(portal, ct))
            .WithMessage(RegisterHandler.EmailTaken);
    }

    private static async Task<bool> TakesRegistrationsAsync(IPortalRules portal, CancellationToken ct) =>
        await portal.GetAsync(ct) is { EmailSignIn: true, TakesNewClients: true };
}

/// <summary>
/// Registers a client once the business takes registrations and the email is free. A mobile given goes on the new
/// client as a claim (unverified: phone sign-in does not find it, decision 99) when no other client of the business has
/// it; when one has it (verified or only claimed), the registration goes on all the same, without the mobile, and
/// answers exactly as for a free one: the same statements in the same order, the same answer. Registration never tells
/// whether a mobile is on file; the client proves the number from Your details, where possession decides (decision 122).
/// The seed's verified mobile (<see cref="Register.MobileVerified"/>, never from a body) is still refused when taken.
/// Before the password is
/// hashed (and, by the validator, before the email is looked up), the registration is counted against its client
/// address, in this business and across every business (<see cref="RegistrationCount"/>): over either cap,
/// rate-limited, and nothing is written. The new client is signed in by the
/// caller, which also leaves the device cookie the answer carries, as a sign-in does.
/// </summary>
public sealed class RegisterHandler(
    PortalAuthDbContext db, ITenantContext tenant, IPortalRules portal, SmsCountryRule countryRule, PasswordHashing passwords, RegistrationCount count, TrustedDevices devices, TimeProvider clock)
    : ICommandHandler<Register, RegisteredClient>
{
    internal const string BadMobile = Mobiles.NotValid;

    /// <summary>Why <see cref="ReadMobile"/> refused the input: a landline says so (decision 281), a mobile without its area code asks for it, anything else is not valid.</summary>
    internal static string MobileRefusal(string? input, ITenantContext tenant) => Mobiles.Refusal(input, tenant.Current?.CountryCode ?? "");
    private const string SignInOrReset = "sign in or reset your password";

    /// <summary>The words of <see cref="PortalProblems.EmailTaken"/> for a registration.</summary>
    internal static readonly string EmailTaken = PortalProblems.EmailTaken(SignInOrReset).Errors.Single().ErrorMessage;

    /// <summary>The mobile as E.164, read with the business's country as region; null when it is not a mobile.</summary>
    internal static string? ReadMobile(string input, ITenantContext tenant) =>
        Mobiles.ToE164(input, tenant.Current?.CountryCode ?? throw new InvalidOperationException("Register needs the business's tenant context."));

    public async ValueTask<RegisteredClient> Handle(Register command, CancellationToken cancellationToken)
    {
        var rules = await portal.GetAsync(cancellationToken);
        if (!rules.EmailSignIn)
        {
            throw PortalProblems.MethodOff("email and password");
        }

        if (!rules.TakesNewClients)
        {
            throw PortalProblems.NotAcceptingNewClients();
        }

        string? mobile = null;
        if (!string.IsNullOrWhiteSpace(command.Mobile))
        {
            mobile = ReadMobile(command.Mobile, tenant) ?? throw ProblemException.Invalid("mobile", MobileRefusal(command.Mobile, tenant));
            await countryRule.RefuseOutsideAsync(mobile, SmsCountryRule.ForClient, cancellationToken);
        }

        // Before the email is looked up and the password hashed; the validator's look has counted this one already.
        await count.CountAsync(command, cancellationToken);
        var email = command.Email!.ToLowerInvariant();
        if (command.MobileVerified)
        {
            await ClientJoining.EnsureFreeAsync(db, email, mobile, SignInOrReset, cancellationToken);
        }
        else
        {
            // The same two reads whether the mobile is free or not; a taken one is simply not kept.
            await ClientJoining.EnsureFreeAsync(db, email, null, SignInOrReset, cancellationToken);
            mobile = await ClientJoining.ClaimableAsync(db, mobile, cancellationToken);
        }

        var tenantId = tenant.TenantId!.Value;

        var client = new Client
        {
            Id = Guid.CreateVersion7(),
            FirstName = command.FirstName!.Trim(),
            LastName = command.LastName!.Trim(),
            Email = email,
            Mobile = mobile,
            MobileVerified = mobile is not null && command.MobileVerified,
            MobileVouchedByStaff = mobile is not null && command.MobileVerified, // the seed's, never from a body
            PasswordHash = passwords.Hash(command.Password!),
            Status = rules.NewClientStatus,
            CreatedAt = clock.GetUtcNow(),
        };
        var registered = await ClientJoining.SaveAsync(db, tenantId, client, "register", SignInOrReset, cancellationToken, mobileIsClaim: !command.MobileVerified);
        return registered with
        {
            DeviceToken = devices.Issue(DeviceArea.Portal, tenantId, email, client.PasswordHash!),
            VerifyMobile = !string.IsNullOrWhiteSpace(command.Mobile) && !command.MobileVerified && rules.PhoneSignIn,
        };
    }
}

/// <summary>
/// Counts one registration against its client address, in this business and across every business
/// (<see cref="PortalAuthOptions.RegistrationsPerIpPerHour"/>, <see cref="PortalAuthOptions.PlatformRegistrationsPerIpPerHour"/>,
/// platform-wide in PostgreSQL): over either, rate-limited with Retry-After. Once per <see cref="Register"/> sent,
/// whichever asks first: the validator before it looks whether the email is on file (that answer is an oracle of
/// clients' addresses, so it is bounded like the registration itself), the handler before it hashes the password.
/// Scoped, like the validator and the handler of one send.
/// </summary>
public sealed class RegistrationCount(AddressLimits addressLimits, ITenantContext tenant, PortalAuthOptions options)
{
    internal const string Refusal = "Too many accounts were registered from your network. Wait a while before trying again.";

    private Register? counted;

    public async Task CountAsync(Register command, CancellationToken cancellationToken)
    {
        if (ReferenceEquals(counted, command))
        {
            return;
        }

        var tenantId = tenant.TenantId ?? throw new InvalidOperationException("Register needs the business's tenant context.");
        await addressLimits.CountAsync(
            [
                new AddressCap($"register:{tenantId}:{command.Ip}", options.RegistrationsPerIpPerHour),
                new AddressCap($"register:{command.Ip}", options.PlatformRegistrationsPerIpPerHour),
            ],
            Refusal, cancellationToken);
        counted = command;
    }
}
