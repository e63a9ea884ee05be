package io.suho.client.postgres.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatementsTest {

    @Test
    void namesTheOperationAfterTheStatementVerb() {
        assertThat(Statements.verb("SELECT 1")).isEqualTo("select");
        assertThat(Statements.verb("  \n insert into t values (1)")).isEqualTo("insert");
        assertThat(Statements.verb("-- why\n/* c */ UPDATE t SET a = 1")).isEqualTo("update");
        assertThat(Statements.verb("(select 1) union (select 2)")).isEqualTo("select");
        assertThat(Statements.verb("selection")).isEqualTo("statement");
        assertThat(Statements.verb("VACUUM")).isEqualTo("statement");
    }

    @Test
    void onlyReadsAreRetried() {
        assertThat(Statements.isRead("select")).isTrue();
        assertThat(Statements.isRead("insert")).isFalse();
        assertThat(Statements.isRead("with")).isFalse(); // a CTE may write
    }

    @Test
    void aLoneNullVarargIsOneNullParameter() {
        assertThat(Statements.params(null)).containsExactly((Object) null);
    }
}
