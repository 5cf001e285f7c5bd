using System.Text.Json.Serialization;
using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Platform;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Web;
using Booking.Tenancy.Contracts;
using Booking.Tenancy.Data;
using Booking.Tenancy.Domain;
using Booking.Tenancy.Features.StaffEmailConfirmation;
using Mediator;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Booking.Tenancy.Features.SignUpBusiness;

/// <summary>The new business's owner. <c>Email</c> is trimmed (<see cref="EmailAddress.Tidy"/>) before it is checked, as staff sign-in's is (decision 327).</summary>
public sealed record OwnerDetails(string? Name, string? Email, string? Password)
{
    public string? Email { get; init; } = EmailAddress.Tidy(Email);
}

public sealed record SignUpBusiness(
    string? Slug,
    string? Name,
    string? TimeZone,
    string? CountryCode,
    string? Currency,
    OwnerDetails? Owner) : ICommand<SignedUpBusiness>
{
    /// <summary>
    /// Whether the business's appointments are for pets (groomers, boarding, vets): true starts its Client Portal with
    /// "Appointments are for pets" on, so clients say which pet from the first booking (review s42 #8). Optional; left
    /// out or false, the portal starts as before (off), and Setup → Client Portal changes it either way.
    /// </summary>
    public bool? BooksForPets { get; init; }

    /// <summary>The client address the sign-up is counted against (<c>ClientAddress.ClientIp</c>); set by the endpoint and the page.</summary>
    [JsonIgnore]
    public string Ip { get; init; } = "unknown";

    /// <summary>
    /// The Development demo's made-up owner address counts as proven and is sent no confirmation email (nobody reads
    /// mail there); every real sign-up leaves it false.
    /// </summary>
    [JsonIgnore]
    public bool OwnerEmailProven { get; init; }
}

/// <summary>The new business and its owner, with the device cookie to leave in the owner's browser (<see cref="TrustedDevices"/>).</summary>
public sealed record SignedUpBusiness(Guid TenantId, string Slug, Guid OwnerId, string OwnerName, string OwnerRole, string DeviceToken);

/// <summary>
/// Creates the business and its owner in one transaction, and tells the other modules. First it counts the sign-up
/// against its client address (<see cref="SignUpLimits"/>, platform-wide in PostgreSQL): over the limit it is refused
/// with rate-limited before the password is hashed, and nothing is written. The owner's address is taken as typed, so
/// the same transaction makes a link that confirms it and asks Notifications to email it
/// (<see cref="StaffEmailConfirmationRequested"/>): until it is used, request emails are held back from the owner.
/// </summary>
public sealed class SignUpBusinessHandler(
    TenancyDbContext db,
    ITenantContext tenantContext,
    PasswordHashing passwords,
    AddressLimits addressLimits,
    SignUpLimits limits,
    TrustedDevices devices,
    StaffEmailConfirmationLimits confirmationLimits,
    PublicOrigin origin,
    IDataProtectionProvider protection,
    TimeProvider clock) : ICommandHandler<SignUpBusiness, SignedUpBusiness>
{
    public async ValueTask<SignedUpBusiness> Handle(SignUpBusiness command, CancellationToken cancellationToken)
    {
        await addressLimits.CountAsync([new AddressCap($"sign-up:{command.Ip}", limits.SignUpsPerAddressPerHour)],
            "Too many businesses were signed up from your network. Wait a while before trying again.", cancellationToken);
        var slug = Slug.Normalise(command.Slug)!;
        var country = command.CountryCode!.ToUpperInvariant();
        var tenant = new Tenant
        {
            Id = Guid.CreateVersion7(),
            Slug = slug,
            Name = command.Name!.Trim(),
            TimeZone = command.TimeZone!,
            CountryCode = country,
            Currency = (command.Currency ?? Regions.CurrencyOf(country) ?? "USD").ToUpperInvariant(),
            Status = TenantStatus.Active,
            CreatedAt = clock.GetUtcNow(),
        };

        // The new business is this unit of work's tenant: its rows are stamped with it and pass row-level security.
        tenantContext.Set(tenant.ToInfo());
        var owner = new StaffMember
        {
            Id = Guid.CreateVersion7(),
            TenantId = tenant.Id,
            Name = command.Owner!.Name!.Trim(),
            Email = command.Owner.Email!.Trim().ToLowerInvariant(),
            PasswordHash = passwords.Hash(command.Owner.Password!),
            Role = StaffRoles.Owner,
            CreatedAt = tenant.CreatedAt,
            EmailProvenAt = command.OwnerEmailProven ? tenant.CreatedAt : null,
        };
        db.Tenants.Add(tenant);
        db.Staff.Add(owner);
        if (command.BooksForPets == true)
        {
            // The business's first portal settings row: the defaults, with pets on (no row means the defaults, pets off).
            var portal = Domain.PortalSettings.NewFor(tenant.Id, country);
            portal.BooksForPets = true;
            portal.UpdatedAt = tenant.CreatedAt;
            db.PortalSettings.Add(portal);
        }

        if (!command.OwnerEmailProven)
        {
            StaffEmailLinks.IssueProof(db, owner, tenant.ToInfo(), confirmationLimits, tenant.CreatedAt, origin, protection);
        }

        db.Publish(new BusinessSignedUp(Guid.CreateVersion7(), tenant.Id, tenant.Slug, tenant.Name, tenant.TimeZone, owner.Email));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw ProblemException.Invalid("slug", SignUpSlugFreeValidator.Taken);
        }

        return new SignedUpBusiness(tenant.Id, tenant.Slug, owner.Id, owner.Name, owner.Role,
            devices.Issue(DeviceArea.Staff, tenant.Id, owner.Email, owner.PasswordHash));
    }
}
