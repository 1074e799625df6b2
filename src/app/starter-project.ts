// The files of dbt's starter project (core/dbt/include/starter_project), which `tsdbt init`
// writes: dbt_project.yml naming the project and its profile, the two example models and their
// tests, the empty resource folders (kept in git by .gitkeep), .gitignore and a README.
// As in dbt, my_first_dbt_model has a null id and its not_null test fails until the commented
// `where id is not null` line is uncommented: the starter's first lesson.

export function starterProjectFiles(projectName: string, profileName: string): Record<string, string> {
  return {
    'dbt_project.yml': `
# Name your project! Project names should contain only lowercase characters
# and underscores. A good package name should reflect your organization's
# name or the intended use of these models
name: '${projectName}'
version: '1.0.0'

# This setting configures which "profile" dbt uses for this project.
profile: '${profileName}'

# These configurations specify where dbt should look for different types of files.
# The \`model-paths\` config, for example, states that models in this project can be
# found in the "models/" directory. You probably won't need to change these!
model-paths: ["models"]
analysis-paths: ["analyses"]
test-paths: ["tests"]
seed-paths: ["seeds"]
macro-paths: ["macros"]
snapshot-paths: ["snapshots"]

clean-targets:         # directories to be removed by \`tsdbt clean\`
  - "target"
  - "dbt_packages"


# Configuring models
# Full documentation: https://docs.getdbt.com/docs/configuring-models

# In this example config, we tell dbt to build all models in the example/
# directory as views. These settings can be overridden in the individual model
# files using the \`{{ config(...) }}\` macro.
models:
  ${projectName}:
    # Config indicated by + and applies to all files under models/example/
    example:
      +materialized: view
`,
    'models/example/my_first_dbt_model.sql': `
/*
    Welcome to your first dbt model!
    Did you know that you can also configure models directly within SQL files?
    This will override configurations stated in dbt_project.yml

    Try changing "table" to "view" below
*/

{{ config(materialized='table') }}

with source_data as (

    select 1 as id
    union all
    select null as id

)

select *
from source_data

/*
    Uncomment the line below to remove records with null \`id\` values
*/

-- where id is not null
`,
    'models/example/my_second_dbt_model.sql': `
-- Use the \`ref\` function to select from other models

select *
from {{ ref('my_first_dbt_model') }}
where id = 1
`,
    'models/example/schema.yml': `
version: 2

models:
  - name: my_first_dbt_model
    description: "A starter dbt model"
    columns:
      - name: id
        description: "The primary key for this table"
        data_tests:
          - unique
          - not_null

  - name: my_second_dbt_model
    description: "A starter dbt model"
    columns:
      - name: id
        description: "The primary key for this table"
        data_tests:
          - unique
          - not_null
`,
    'analyses/.gitkeep': '',
    'macros/.gitkeep': '',
    'seeds/.gitkeep': '',
    'snapshots/.gitkeep': '',
    'tests/.gitkeep': '',
    '.gitignore': '\ntarget/\ndbt_packages/\nlogs/\n.env\n',
    'README.md': `Welcome to your new dbt project!

### Using the starter project

Try running the following commands:
- tsdbt run
- tsdbt test
- tsdbt build


### Resources:
- Learn more about dbt [in the docs](https://docs.getdbt.com/docs/introduction)
- Check out [Discourse](https://discourse.getdbt.com/) for commonly asked questions and answers
- Join the [chat](https://community.getdbt.com/) on Slack for live discussions and support
- Find [dbt events](https://events.getdbt.com) near you
- Check out [the blog](https://blog.getdbt.com/) for the latest news on dbt's development and best practices
`,
  };
}
