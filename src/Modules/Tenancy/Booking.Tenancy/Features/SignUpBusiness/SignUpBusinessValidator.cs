using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Tenancy;
using Booking.Tenancy.Domain;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace Booking.Tenancy.Features.SignUpBusiness;

public sealed class SignUpBusinessValidator : AbstractValidator<SignUpBusiness>
{
    /// <summary>The API's words for a missing or unknown time zone (the sign-up page words its select box its own way).</summary>
    public const string BadTimeZone = "Choose a time zone such as Australia/Sydney.";

    /// <summary>The API's words for a missing or unknown country (the sign-up page words its select box its own way).</summary>
    public const string BadCountry = "Give a country code ISO 3166-1 knows, as two letters, such as AU.";

    public SignUpBusinessValidator()
    {
        RuleFor(x => x.Slug).Must(s => SlugRules.Problem(s) is null).WithMessage(x => SlugRules.Problem(x.Slug)!);
        RuleFor(x => x.Name).NotEmpty().WithMessage("Enter the business's name.")
            .MaximumLength(120).WithMessage("Use at most 120 characters.").OneLine();
        RuleFor(x => x.TimeZone).Must(Regions.IsTimeZone).WithMessage(BadTimeZone);
        RuleFor(x => x.CountryCode).Must(c => Regions.IsCountry(c?.ToUpperInvariant()))
            .WithMessage(BadCountry);
        RuleFor(x => x.Currency).Must(c => c is null || Regions.IsCurrency(c.ToUpperInvariant()))
            .WithMessage("Give a currency code ISO 4217 knows, as three letters, such as AUD.");
        RuleFor(x => x.Owner).NotNull().WithMessage("Give the owner's name, email and password.");
        When(x => x.Owner is not null, () =>
        {
            RuleFor(x => x.Owner!.Name).NotEmpty().WithMessage("Enter the owner's name.")
                .MaximumLength(120).WithMessage("Use at most 120 characters.").OneLine();
            RuleFor(x => x.Owner!.Email).Must(EmailAddress.IsValid).WithMessage("Enter a valid email address.");
            RuleFor(x => x.Owner!.Password).AcceptablePassword();
        });
    }
}

public static class SlugRules
{
    /// <summary>Why a requested slug cannot be had on its own terms (availability is checked by the database).</summary>
    public static string? Problem(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return "Choose a name for your booking address.";
        }

        var slug = Slug.Normalise(raw);
        if (slug is null)
        {
            return "Use 3–63 lowercase letters, digits and single hyphens (not at the start or end).";
        }

        return ReservedSlugs.All.Contains(slug) ? "This name is reserved; choose another." : null;
    }
}

/// <summary>
/// A slug already in use is reported with every other bad field at once (before, it came only once the rest passed,
/// from the unique index). Scoped: it reads the tenants table. The unique index stays the guard against a race.
/// </summary>
public sealed class SignUpSlugFreeValidator : AbstractValidator<SignUpBusiness>
{
    public const string Taken = "This name is taken; choose another.";

    public SignUpSlugFreeValidator(Data.TenancyDbContext db)
    {
        RuleFor(x => x.Slug)
            .MustAsync(async (raw, ct) =>
            {
                var slug = Slug.Normalise(raw)!;
                return !await db.Tenants.AnyAsync(t => t.Slug == slug, ct);
            })
            .When(x => SlugRules.Problem(x.Slug) is null)
            .WithMessage(Taken);
    }
}
