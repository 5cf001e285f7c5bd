using Booking.BuildingBlocks.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;

namespace Booking.ArchitectureTests;

/// <summary>
/// Builds every module's EF model and fails on an entity that is neither tenant-scoped (with the named tenant
/// filter, and tenant_id in its key and unique indexes) nor explicitly declared cross-tenant.
/// </summary>
public sealed class TenantIsolationByDefaultTests
{
    public static TheoryData<string> Contexts()
    {
        var data = new TheoryData<string>();
        foreach (var type in ModuleContextTypes())
        {
            data.Add(type.FullName!);
        }

        return data;
    }

    [Fact]
    public void Every_module_with_data_is_found()
    {
        var names = ModuleContextTypes().Select(t => t.Name).ToList();
        Assert.Contains("TenancyDbContext", names);
        Assert.Contains("PlatformDbContext", names);
    }

    [Theory]
    [MemberData(nameof(Contexts))]
    public void Every_entity_is_tenant_scoped_or_declared_cross_tenant(string contextType)
    {
        var model = ModelOf(contextType);
        var problems = new List<string>();
        foreach (var entity in model.GetEntityTypes().Where(e => !e.IsOwned()))
        {
            if (TenantFilters.IsDeclaredCrossTenant(entity))
            {
                continue;
            }

            if (!TenantFilters.IsTenantScoped(entity.ClrType))
            {
                problems.Add($"{entity.ClrType.Name}: neither ITenantOwned nor [CrossTenant]");
                continue;
            }

            if (entity.FindDeclaredQueryFilter(TenantFilters.Tenant) is null)
            {
                problems.Add($"{entity.ClrType.Name}: no '{TenantFilters.Tenant}' query filter");
            }

            if (entity.FindPrimaryKey()?.Properties.Any(p => p.Name == nameof(ITenantOwned.TenantId)) != true)
            {
                problems.Add($"{entity.ClrType.Name}: tenant_id is not part of the primary key");
            }

            foreach (var index in entity.GetIndexes().Where(i => i.IsUnique && i.Properties.All(p => p.Name != nameof(ITenantOwned.TenantId))))
            {
                problems.Add($"{entity.ClrType.Name}: unique index {index.GetDatabaseName()} lacks tenant_id");
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Cross_tenant_declarations_are_few_and_reasoned()
    {
        var declared = ModuleContextTypes().SelectMany(t => ModelOf(t.FullName!).GetEntityTypes())
            .Where(e => !e.IsOwned() && TenantFilters.IsDeclaredCrossTenant(e))
            .Select(e => e.ClrType.Name)
            .Distinct()
            .Order()
            .ToList();
        // Adding to this list needs a reason in the [CrossTenant] attribute and a look from a second person.
        Assert.Equal(["AddressCount", "AuthSession", "CodeBudgetHour", "CodeSend", "DataProtectionKey", "DevMailMessage", "DevSms", "IpPasswordFailure", "OutboxMessage", "Tenant"], declared);
    }

    private static IEnumerable<Type> ModuleContextTypes() =>
        Repo.Modules.Select(m => $"Booking.{m}").Append("Booking.BuildingBlocks")
            .Select(Repo.Load)
            .SelectMany(a => a.GetTypes())
            .Where(t => typeof(DbContext).IsAssignableFrom(t) && !t.IsAbstract);

    private static IModel ModelOf(string contextType)
    {
        var type = ModuleContextTypes().Single(t => t.FullName == contextType);
        var create = typeof(ModuleDb).GetMethod(nameof(ModuleDb.Create))!.MakeGenericMethod(type);
        using var context = (DbContext)create.Invoke(null, [new ServiceCollection().BuildServiceProvider(), "Host=localhost;Database=model-only"])!;
        return context.Model;
    }
}
