using Booking.BuildingBlocks.Contracts;

namespace Booking.Tenancy.Contracts;

/// <summary>
/// A staff member asked to reset their password (or an owner or admin asked for them). Notifications emails the link
/// (valid until ExpiresAt) to the staff address. The link carries a single-use token; Tenancy stores only its hash.
/// </summary>
public sealed record StaffPasswordResetRequested(Guid EventId, Guid TenantId, Guid StaffId, string Email, string Name, string ResetUrl, DateTimeOffset ExpiresAt) : IIntegrationEvent;
