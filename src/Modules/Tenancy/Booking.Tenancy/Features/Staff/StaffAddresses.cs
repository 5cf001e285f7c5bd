using Booking.Tenancy.Contracts;
using Booking.Tenancy.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Booking.Tenancy.Features.Staff;

/// <summary>One small query on the business's staff (the tenant filter keeps to the current business).</summary>
public sealed class GetStaffAddressesHandler(TenancyDbContext db) : IQueryHandler<GetStaffAddresses, IReadOnlyList<StaffAddressView>>
{
    public async ValueTask<IReadOnlyList<StaffAddressView>> Handle(GetStaffAddresses query, CancellationToken cancellationToken)
    {
        if (query.Roles.Count == 0)
        {
            return [];
        }

        var roles = query.Roles.ToList();
        return await db.Staff.AsNoTracking()
            .Where(s => roles.Contains(s.Role))
            .OrderBy(s => s.Email)
            .Select(s => new StaffAddressView(s.Id, s.Name, s.Email, s.Role, s.EmailProvenAt != null))
            .ToListAsync(cancellationToken);
    }
}

/// <summary>One small query on the business's staff by id (the tenant filter keeps to the current business); none asked, none read.</summary>
public sealed class GetStaffNamesHandler(TenancyDbContext db) : IQueryHandler<GetStaffNames, IReadOnlyDictionary<Guid, string>>
{
    public async ValueTask<IReadOnlyDictionary<Guid, string>> Handle(GetStaffNames query, CancellationToken cancellationToken)
    {
        var ids = query.Ids.Distinct().ToList();
        if (ids.Count == 0)
        {
            return new Dictionary<Guid, string>();
        }

        return await db.Staff.AsNoTracking().Where(s => ids.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Name, cancellationToken);
    }
}
