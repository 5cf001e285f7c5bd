using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Tenancy;
using Booking.PortalAuth.Contracts;
using Booking.PortalAuth.Data;
using Booking.PortalAuth.Domain;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;

namespace Booking.PortalAuth.Features.Register;

public sealed record Register(string? FirstName, string? LastName, string? Email, string? Password, string? Mobile) : ICommand<RegisteredClient>
{
    /// <summary>Trimmed before the validator checks it and before it is stored.</summary>
    public string? Email { get; init; } = EmailAddress.Tidy(Email);
}

public sealed record RegisteredClient(Guid Id, string Status);

public sealed class RegisterValidator : AbstractValidator<Register>
{
    public RegisterValidator(IHttpContextAccessor http)
    {
        // The mobile is read as the handler reads it (libphonenumber, the business's country as region, E.164), here
        // so that a bad mobile is reported with every other bad field at once.
        RuleFor(x => x.Mobile)
            .Must(m => string.IsNullOrWhiteSpace(m) || Mobiles.ToE164(m, http.HttpContext?.RequestServices.GetService<ITenantContext>()?.Current?.CountryCode ?? "ZZ") is not null)
            .WithMessage("Enter a valid mobile number.");
        RuleFor(x => x.FirstName).NotEmpty().WithMessage("Enter your first name.").MaximumLength(100).OneLine();
        RuleFor(x => x.LastName).NotEmpty().WithMessage("Enter your last name.").MaximumLength(100).OneLine();
        RuleFor(x => x.Email).Must(EmailAddress.IsValid).WithMessage("Enter a valid email address.");
        RuleFor(x => x.Password).AcceptablePassword();
    }
}

public sealed class RegisterHandler(PortalAuthDbContext db, ITenantContext tenant, IPortalRules portal, PasswordHashing passwords, TimeProvider clock)
    : ICommandHandler<Register, RegisteredClient>
{
    private const string SignInOrReset = "sign in or reset your password";

    public async ValueTask<RegisteredClient> Handle(Register command, CancellationToken cancellationToken)
    {
        var rules = await portal.GetAsync(cancellationToken);
        if (!rules.EmailSignIn)
        {
            throw PortalProblems.MethodOff("email and password");
        }

        if (!rules.AcceptingNewClients)
        {
            throw PortalProblems.NotAcceptingNewClients();
        }

        string? mobile = null;
        if (!string.IsNullOrWhiteSpace(command.Mobile))
        {
            mobile = Mobiles.ToE164(command.Mobile, tenant.Current!.CountryCode)
                ?? throw ProblemException.Invalid("mobile", "Enter a valid mobile number.");
        }

        var email = command.Email!.ToLowerInvariant();
        await ClientJoining.EnsureFreeAsync(db, email, mobile, SignInOrReset, cancellationToken);

        var client = new Client
        {
            Id = Guid.CreateVersion7(),
            FirstName = command.FirstName!.Trim(),
            LastName = command.LastName!.Trim(),
            Email = email,
            Mobile = mobile,
            PasswordHash = passwords.Hash(command.Password!),
            Status = rules.NewClientStatus,
            CreatedAt = clock.GetUtcNow(),
        };
        return await ClientJoining.SaveAsync(db, tenant.TenantId!.Value, client, "register", SignInOrReset, cancellationToken);
    }
}
